"""test_notebooks.py: every notebook in notebooks/ runs top to bottom headless (nbclient, the
venv's Python 3 kernel) against the built thirst, and its figures render: each saves PNGs to
THIRST_FIGURES, which must be real PNG images of a sensible size. The committed notebooks
carry no outputs.
Usage: test_notebooks.py THIRST_BINARY REPO_ROOT
"""
import glob
import os
import struct
import sys
import tempfile

import nbformat
from nbclient import NotebookClient

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from checks import Checks  # noqa: E402

thirst, root = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
os.chdir(os.path.join(root, "notebooks"))
checks = Checks()
check = checks.check



notebooks = sorted(glob.glob("*.ipynb"))
check(len(notebooks) == 5, f"found {len(notebooks)} notebooks, expected 5")
with tempfile.TemporaryDirectory() as figures:
    os.environ["THIRST"] = thirst
    os.environ["THIRST_FIGURES"] = figures
    os.environ["MPLBACKEND"] = "Agg"
    for path in notebooks:
        notebook = nbformat.read(path, as_version=4)
        clean = all(not cell.get("outputs") and cell.get("execution_count") is None
                    for cell in notebook.cells if cell.cell_type == "code")
        check(clean, f"{path}: committed with outputs")
        before = set(os.listdir(figures))
        try:
            NotebookClient(notebook, timeout=600, kernel_name="python3",
                           resources={"metadata": {"path": "."}}).execute()
            check(True, path)
        except Exception as error:  # the cell's traceback, shortened
            check(False, f"{path}: {type(error).__name__}: {str(error)[-800:]}")
            continue
        made = sorted(set(os.listdir(figures)) - before)
        check(len(made) >= 1, f"{path}: saved no figure")
        for name in made:
            data = open(os.path.join(figures, name), "rb").read()
            is_png = data[:8] == b"\x89PNG\r\n\x1a\n"
            width, height = struct.unpack(">II", data[16:24]) if is_png else (0, 0)
            check(is_png and width >= 300 and height >= 200 and len(data) > 10000,
                  f"{path}: {name} is not a rendered PNG ({width}x{height}, {len(data)} bytes)")
    if os.environ.get("THIRST_KEEP_FIGURES"):
        import shutil
        shutil.copytree(figures, os.environ["THIRST_KEEP_FIGURES"], dirs_exist_ok=True)

checks.finish()
