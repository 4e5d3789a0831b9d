# commit.cmake: write the git commit of SOURCE_DIR (git describe --always --dirty --abbrev=12,
# "unknown" outside a git checkout) to the header OUT as THIRST_COMMIT, for the provenance of
# results (host/provenance.c). Run by the build, every build (the thirst_commit target), so that
# a commit or an edit after configuring shows; OUT is rewritten only when the commit changes,
# so that nothing recompiles otherwise.
execute_process(COMMAND git describe --always --dirty --abbrev=12
                WORKING_DIRECTORY ${SOURCE_DIR} OUTPUT_VARIABLE commit
                OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET RESULT_VARIABLE status)
if(NOT status EQUAL 0 OR NOT commit)
  set(commit unknown)
endif()
set(text "/* Written by cmake/commit.cmake at build time: the commit results name. */\n#define THIRST_COMMIT \"${commit}\"\n")
set(old "")
if(EXISTS ${OUT})
  file(READ ${OUT} old)
endif()
if(NOT old STREQUAL text)
  file(WRITE ${OUT} "${text}")
endif()
