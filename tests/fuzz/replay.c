/* replay.c: runs the libFuzzer harness over files and folders of inputs without libFuzzer, so
 * that the corpus is replayed under gcc's sanitizers on machines without clang (ctest
 * test_fuzz_replay). Exit 0 when every input ran; a sanitizer report ends the process. */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Run one input file; returns 0, or 1 when it cannot be read. */
static int replay_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        fprintf(stderr, "replay: cannot read %s\n", path);
        return 1;
    }
    size_t capacity = 1 << 16, size = 0;
    uint8_t *data = malloc(capacity);
    size_t n;
    while (data && (n = fread(data + size, 1, capacity - size, f)) > 0) {
        size += n;
        if (size == capacity) {
            uint8_t *grown = realloc(data, capacity *= 2);
            if (!grown) free(data);
            data = grown;
        }
    }
    fclose(f);
    if (!data) return 1;
    LLVMFuzzerTestOneInput(data, size);
    free(data);
    return 0;
}

int main(int argc, char **argv)
{
    int inputs = 0, failures = 0;
    for (int k = 1; k < argc; k++) {
        struct stat st;
        if (stat(argv[k], &st) == 0 && S_ISDIR(st.st_mode)) {
            DIR *dir = opendir(argv[k]);
            struct dirent *entry;
            while (dir && (entry = readdir(dir))) {
                if (entry->d_name[0] == '.') continue;
                char path[4096];
                snprintf(path, sizeof path, "%s/%s", argv[k], entry->d_name);
                failures += replay_file(path);
                inputs++;
            }
            if (dir) closedir(dir);
        } else {
            failures += replay_file(argv[k]);
            inputs++;
        }
    }
    printf("replay: %d inputs, %d unreadable\n", inputs, failures);
    return failures || inputs == 0;
}
