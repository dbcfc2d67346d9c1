"""Docs that show a command and its output stay true: every ```sh block after a `<!-- run -->` line
holds one `xy …` command, run from the project root; the ```text block after it is its stdout,
compared exactly. Usage: run.py XY PROJECT_DIR [--update] (--update rewrites the text blocks)."""
import pathlib
import re
import shlex
import subprocess
import sys

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
from compare import difference  # noqa: E402

xy, root = sys.argv[1], pathlib.Path(sys.argv[2])
update = "--update" in sys.argv[3:]
block = re.compile(r"(<!-- run -->\s*\n```sh\n(.*?)\n```\s*\n```text\n)(.*?)(```)", re.S)
passed = failed = 0




for doc in sorted([root / "README.md", *(root / "docs").rglob("*.md")]):
    text = doc.read_text(encoding="utf-8")
    name = doc.relative_to(root)

    def check(m):
        global passed, failed
        command, expected = m.group(2).strip(), m.group(3)
        line = text[: m.start()].count("\n") + 1
        args = shlex.split(command)
        if not args or args[0] != "xy" or "\n" in command:
            print(f"FAIL {name}:{line}: a checked block holds one `xy …` command, not {command!r}")
            failed += 1
            return m.group(0)
        got = subprocess.run([xy, *args[1:]], cwd=root, capture_output=True)
        out = got.stdout.decode("utf-8")
        if out == expected or update:
            passed += 1
            print(f"{'ok  ' if out == expected else 'new '} {name}:{line}: {command}")
            return m.group(1) + out + m.group(4)
        failed += 1
        print(f"FAIL {name}:{line}: `{command}` prints otherwise now (exit {got.returncode}):")
        print(difference(expected, out))
        return m.group(0)

    new = block.sub(check, text)
    if update and new != text:
        doc.write_text(new, encoding="utf-8")
print(f"{passed} passed, {failed} failed")
sys.exit(1 if failed or passed == 0 else 0)
