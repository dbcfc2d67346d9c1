"""Docs run as sessions, so that what they show stays true: the tutorials (docs/tutorial.*.md),
the language reference (docs/language.md) and the policy analysis commands (docs/analysis.md).

Usage: session.py XY PROJECT_DIR DOC.md... [--update | --update-all] [--keep]
  --update      rewrite the output blocks (```text after a command, and `replace` diagnostics)
                that differ from what is printed now; review the diff before committing
  --update-all  rewrite every output block, so that the hashes and times shown all come from
                one run
  --keep        keep the session directories (they are kept anyway when something failed)

What it checks, walking each DOC from top to bottom in one session:

* Every ```sh block is run, command by command (a line; `\` continues it; `#` lines are skipped),
  with bash, in the session directory. Each command must exit 0, unless the block is marked
  `<!-- run: exit N -->` (then it holds one command, which must exit N). A ```text block right
  after a ```sh block (blank lines only between them) is what the block prints, stdout and stderr
  together as a terminal shows them, compared after the normalisations below. A block the reader
  is not meant to run as it stands (a usage synopsis) is marked `<!-- not run: WHY -->`.
  Commands are limited to `xy`, `build/cli/xy`, `mkdir`, `cp`, `ln`, `ls`, `cat`, `curl` (to
  127.0.0.1 or localhost only) and `kill %N`, joined by `|` `&&` `;` and redirections; anything
  else fails the doc, so that a doc cannot run arbitrary programs on the build machine.
* `xy serve … &` (a command ending in `&`) starts the service in the background. The script does
  not use the port the doc shows: it starts the service with `--listen 127.0.0.1:0`, reads the
  port it got from its first line (`listening on http://127.0.0.1:PORT`), waits for
  `/v1/health`, and writes the doc's `HOST:PORT` as the real one in the commands that follow (and
  the real one as the doc's in what they print). `kill %N` stops the N-th background service
  (SIGTERM; it must exit 0 within 20 s). Whatever is still running at the end of the doc, or
  when the script fails or is stopped (SIGTERM, ^C), is stopped with it, and each service and
  command is started with PR_SET_PDEATHSIG, so that it dies even with a script killed outright.
  A command taking more than 60 s, or a service not listening within 60 s, fails the doc.
* `<!-- file: PATH -->` before a fenced block (```xy, ```json, ```markdown …): the block is written
  to PATH in the session directory, as the reader would save it.
* `<!-- check: … -->` before a fenced block (or with the snippet in the comment's own body, on the
  lines after `check: …`, for claims made in prose and tables; a line `---` separates several
  snippets checked alike) checks a policy snippet:
    check: ok             the snippet compiles (warnings allowed)
    check: E0201          it does not compile, and the diagnostics include error[E0201]
  with options, comma-separated:
    in: SET               compile it together with a copy of policies/SET (its laws/ beside it)
    kind: check|review    the snippet is rules: wrap it in a policy of that kind (default
                          not_permitted / pass) named 文档片段; `for: ACTION` adds `针对 ACTION`
    rule: ACTION          (with `kind:`) the snippet is a condition (with or without its `当` /
                          `when`): wrap it in a rule about ACTION (effect forbid / reject)
    lines                 check each line of the snippet on its own; `columns` also splits each
                          line at its first run of three spaces (a block showing the Chinese and
                          the English form side by side)
    laws                  (alone) resolve citations against policies/laws (else none are found:
                          W0306, citations checked for form only); `nolaws` with `in:` drops them
    replace: A -> B       (with `in:`) the block is not a snippet but the diagnostics printed
                          (`xy compile policies/SET --lang LANG`, `lang: en` by default) once the
                          one occurrence of A in the set is replaced by B; compared exactly
    says: TEXT            the diagnostics (in `lang:`, en by default) include TEXT
  and two checks for JSON blocks:
    check: request, in: SET | with: previous [, outcome: O] [, rules: R1 R2] [, refused]
                          the block is a request that `xy check` decides (exit 0) with policies/SET,
                          or with the last snippet checked `ok`; its outcome and rules as given;
                          `refused`: it is refused as a bad request (exit 2)
    check: decision, in: SET, request: REL
                          the block shows the decision JSON for policies/SET/REL: every member it
                          shows must be in the real decision with the same value (a string with
                          `…` matches any string starting with the text before the `…`)

Session directory: `<!-- session: cwd=empty -->` (the default; a fresh empty directory, the
tutorials) or `cwd=repo` (a scratch directory holding symbolic links to the project's top-level
entries and build/cli/xy -> XY, so that doc commands written from the project root run unchanged
while whatever they write lands in the scratch directory). `XY_LANG=zh|en` in the same comment sets
the language of xy's output (default en). The environment is fixed: PATH starts with a directory
holding `xy` -> XY; HOME is a scratch directory (so `~/.vscode/…` is harmless); XY_REPO is
PROJECT_DIR, for `cp "$XY_REPO/policies/laws/…"`; TZ=UTC, LANG=C.UTF-8.

Normalisations, applied to both the doc's text and what is printed, and only these, because
these values differ from run to run:
  - hashes: a run of 64 or 12 hexadecimal digits (bundle hashes, audit chain hashes, the public
    key of the checkpoints, the short bundle hash in text output) -> ‹hash›
  - timestamps: 2026-12-03T14:01:50.600Z -> ‹time›
  - the number of signed checkpoints `xy audit verify` counts (one is written every second while
    records arrive) -> ‹n›
  - the port (above); and a missing newline at the end of the output (curl prints none).

Snippets are compiled in their own scratch directories, several at a time (the conditions of one
`rule:` marker that must all compile as one policy); results are reported in the doc's order.
Failures name the doc's file:line of the block (or of the marker) and show the first line that
differs, or the snippet and the diagnostics. Exit 0 when everything passed, 1 otherwise.
"""
import concurrent.futures
import ctypes
import itertools
import json
import os
import pathlib
import re
import select
import shlex
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
from compare import difference  # noqa: E402

ALLOWED = {"xy", "build/cli/xy", "mkdir", "cp", "ln", "ls", "cat", "curl", "kill"}
COMMAND_TIMEOUT = 60
START_TIMEOUT = 60

args = [a for a in sys.argv[1:] if not a.startswith("--")]
flags = {a for a in sys.argv[1:] if a.startswith("--")}
if len(args) < 3 or flags - {"--update", "--update-all", "--keep"}:
    sys.exit(__doc__.split("\n\n")[1])
XY = pathlib.Path(args[0]).resolve()
ROOT = pathlib.Path(args[1]).resolve()
DOCS = [pathlib.Path(a) if pathlib.Path(a).is_absolute() else ROOT / a for a in args[2:]]
UPDATE_ALL = "--update-all" in flags
UPDATE = "--update" in flags or UPDATE_ALL
KEEP = "--keep" in flags


# ── reading a doc ────────────────────────────────────────────────────────────────────────────────

class Block:
    """A fenced block: its language, text (without the fences), 1-based line of the opening fence,
    the character range of its text in the doc, and the marker comment right before it."""

    def __init__(self, lang, text, line, start, end, indent):
        self.lang, self.text, self.line, self.start, self.end = lang, text, line, start, end
        self.indent = indent
        self.marker = None  # (kind, options text, body, line)
        self.next = None  # the block right after this one, if only blank lines separate them


class Marker:
    def __init__(self, kind, head, body, line):
        self.kind, self.head, self.body, self.line = kind, head, body, line


MARKER = re.compile(
    r"<!--\s*(file|check|run|not run|session)\s*(?::\s*([^\n]*?))?\s*(?:\n(.*?))?-->", re.S)
FENCE = re.compile(r"^([ \t]*)(```+)([\w.+-]*)[ \t]*$")


def parse(text):
    """The doc's items in order: Blocks and Markers (a marker directly before a block is attached
    to it instead)."""
    items = []
    lines = text.split("\n")
    offsets, pos = [], 0
    for ln in lines:
        offsets.append(pos)
        pos += len(ln) + 1
    i = 0
    pending = None  # a marker waiting for a block: (Marker, index of the line after it)
    last_block_end_line = None
    while i < len(lines):
        line = lines[i]
        if line.lstrip().startswith("<!--"):
            start = offsets[i] + len(line) - len(line.lstrip())
            end = text.find("-->", start)
            if end < 0:
                raise SystemExit(f"unclosed comment at line {i + 1}")
            comment = text[start:end + 3]
            m = MARKER.fullmatch(comment)
            last = text.count("\n", 0, end) + 1
            if m:
                if pending:
                    items.append(pending[0])
                body = (m.group(3) or "").strip("\n")
                pending = (Marker(m.group(1), (m.group(2) or "").strip(), body, i + 1), last)
            i = last
            continue
        f = FENCE.match(line)
        if f:
            indent, ticks, lang = f.group(1), f.group(2), f.group(3)
            j = i + 1
            while j < len(lines) and not re.match(rf"^[ \t]*{ticks}[ \t]*$", lines[j]):
                j += 1
            if j >= len(lines):
                raise SystemExit(f"unclosed fence at line {i + 1}")
            body_lines = [ln[len(indent):] if ln.startswith(indent) else ln.lstrip()
                          for ln in lines[i + 1:j]]
            start = offsets[i + 1] if i + 1 < len(lines) else len(text)
            end = offsets[j]
            b = Block(lang, "".join(ln + "\n" for ln in body_lines), i + 1, start, end, indent)
            if pending and all(not ln.strip() for ln in lines[pending[1]:i]):
                b.marker = pending[0]
                pending = None
            elif pending:
                items.append(pending[0])
                pending = None
            if (items and isinstance(items[-1], Block) and last_block_end_line is not None
                    and all(not ln.strip() for ln in lines[last_block_end_line:i])):
                items[-1].next = b
            items.append(b)
            last_block_end_line = j + 1
            i = j + 1
            continue
        i += 1
    if pending:
        items.append(pending[0])
    return items


# ── normalising and comparing output ─────────────────────────────────────────────────────────────

NORMALISE = [
    (re.compile(r"(?<![0-9a-f])(?:[0-9a-f]{64}|[0-9a-f]{12})(?![0-9a-f])"), "‹hash›"),
    (re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?Z"), "‹time›"),
    (re.compile(r"(signed checkpoints: )\d+"), r"\1‹n›"),
    (re.compile(r"(已签名检查点 )\d+( 个)"), r"\1‹n›\2"),
]


def normalise(s):
    for pattern, replacement in NORMALISE:
        s = pattern.sub(replacement, s)
    return s if s.endswith("\n") or not s else s + "\n"




# ── the session ──────────────────────────────────────────────────────────────────────────────────

def pdeathsig():
    """In the child: die with the parent (so a killed test run leaves no service behind)."""
    try:
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except OSError:
        pass


class Failure(Exception):
    pass


class Session:
    def __init__(self, doc, base):
        self.doc = doc
        self.name = doc.relative_to(ROOT) if doc.is_relative_to(ROOT) else doc
        self.text = doc.read_text(encoding="utf-8")
        self.base = pathlib.Path(tempfile.mkdtemp(prefix="xy-doc-", dir=base))
        self.cwd = self.base / "session"
        self.cwd.mkdir()
        self.bin = self.base / "bin"
        self.bin.mkdir()
        (self.bin / "xy").symlink_to(XY)
        (self.base / "home").mkdir()
        self.env = {"PATH": f"{self.bin}:/usr/local/bin:/usr/bin:/bin",
                    "HOME": str(self.base / "home"), "XY_REPO": str(ROOT), "XY_LANG": "en",
                    "LANG": "C.UTF-8", "TZ": "UTC"}
        for k, v in os.environ.items():  # sanitizer builds
            if k.split("_")[0] in ("ASAN", "UBSAN", "LSAN", "MSAN"):
                self.env[k] = v
        self.jobs = []  # background services: dict(proc, doc_addr, real_addr, log)
        self.ports = {}  # doc HOST:PORT -> real HOST:PORT
        self.passed = self.failed = 0
        self.updates = []  # (start, end, new text)
        self.previous = None  # (cwd, policy path) of the last snippet checked ok
        self.snippets = itertools.count(1)
        # Snippets compile in parallel; their results are reported in the doc's order (drain).
        self.pool = concurrent.futures.ThreadPoolExecutor(max_workers=os.cpu_count() or 2)
        self.pending = []

    # reporting
    def ok(self, line, what):
        self.passed += 1
        print(f"ok   {self.name}:{line}: {what}", flush=True)

    def fail(self, line, what, detail=""):
        self.failed += 1
        print(f"FAIL {self.name}:{line}: {what}" + (f"\n{detail.rstrip()}" if detail else ""),
              flush=True)

    # running
    def to_real(self, s):
        for doc_addr, real in self.ports.items():
            s = s.replace(doc_addr, real)
        return s

    def to_doc(self, s):
        for doc_addr, real in self.ports.items():
            s = s.replace(real, doc_addr)
        return s

    def vet(self, command):
        """Refuses commands outside the small set a doc may run."""
        lexer = shlex.shlex(command, posix=True, punctuation_chars=True)
        lexer.whitespace_split = True
        try:
            tokens = list(lexer)
        except ValueError as e:
            raise Failure(f"cannot read `{command}`: {e}")
        first = True
        for t in tokens:
            if t in ("|", "&&", ";", "||"):
                first = True
                continue
            if first:
                if t not in ALLOWED:
                    raise Failure(f"`{t}` is not one of the commands a doc may run "
                                  f"({', '.join(sorted(ALLOWED))}): `{command}`")
                first = False
        for url in re.findall(r"https?://[^\s'\"]+", command):
            if not re.match(r"https?://(127\.0\.0\.1|localhost)[:/]", url):
                raise Failure(f"only 127.0.0.1 and localhost may be reached: {url}")
        if tokens and tokens[0] == "kill" and not re.fullmatch(r"kill %\d+", command.strip()):
            raise Failure(f"only `kill %N` (a service this doc started) may be run: `{command}`")

    def run(self, command, timeout=COMMAND_TIMEOUT):
        p = subprocess.Popen(["bash", "-c", command], cwd=self.cwd, env=self.env,
                             stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                             start_new_session=True, preexec_fn=pdeathsig)
        try:
            out, _ = p.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(p.pid, signal.SIGKILL)
            p.communicate()
            raise Failure(f"`{command}` did not finish within {timeout} s")
        except BaseException:  # stopped (SIGTERM, ^C): take the command's processes along
            os.killpg(p.pid, signal.SIGKILL)
            raise
        return p.returncode, out.decode("utf-8", "replace")

    def start_service(self, command):
        argv = shlex.split(command)
        if argv[:2] not in (["xy", "serve"], ["build/cli/xy", "serve"]):
            raise Failure(f"only `xy serve … &` runs in the background: `{command}`")
        argv = [str(XY)] + argv[1:]
        doc_addr = "127.0.0.1:8181"
        if "--listen" in argv:
            k = argv.index("--listen")
            doc_addr = argv[k + 1]
            argv[k + 1] = "127.0.0.1:0"
        else:
            argv += ["--listen", "127.0.0.1:0"]
        log = self.base / f"serve-{len(self.jobs) + 1}.log"
        proc = subprocess.Popen(argv, cwd=self.cwd, env=self.env, stdout=subprocess.PIPE,
                                stderr=open(log, "wb"), preexec_fn=pdeathsig)
        job = {"proc": proc, "log": log, "doc_addr": doc_addr}
        self.jobs.append(job)
        deadline = time.monotonic() + START_TIMEOUT
        first = b""
        while not first.endswith(b"\n"):
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([proc.stdout], [], [], left)[0]:
                raise Failure(f"`{command}` printed no `listening on …` line within "
                              f"{START_TIMEOUT} s", log.read_text(errors="replace"))
            chunk = os.read(proc.stdout.fileno(), 1)
            if not chunk:
                proc.wait()
                raise Failure(f"`{command}` exited {proc.returncode} before listening",
                              log.read_text(errors="replace"))
            first += chunk
        m = re.search(rb"http://(127\.0\.0\.1:\d+)", first)
        if not m:
            raise Failure(f"`{command}` printed {first!r}, not `listening on http://…`")
        real = m.group(1).decode()
        self.ports[doc_addr] = real
        if doc_addr.startswith("127.0.0.1:"):
            self.ports["localhost:" + doc_addr.split(":")[1]] = real
        while True:
            try:
                with urllib.request.urlopen(f"http://{real}/v1/health", timeout=5) as r:
                    if r.status == 200:
                        break
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise Failure(f"`{command}`: /v1/health did not answer 200",
                              log.read_text(errors="replace"))
            time.sleep(0.1)
        return self.to_doc(first.decode("utf-8", "replace"))

    def stop(self, n, strict=True):
        job = self.jobs[n - 1] if 0 < n <= len(self.jobs) else None
        if job is None or "stopped" in job:
            raise Failure(f"`kill %{n}`: no such service")
        proc = job["proc"]
        job["stopped"] = True
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
                if strict:
                    raise Failure(f"`kill %{n}`: the service did not stop within 20 s",
                                  job["log"].read_text(errors="replace"))
        for addr in [a for a, r in self.ports.items() if r == self.ports.get(job["doc_addr"])]:
            del self.ports[addr]
        if strict and proc.returncode != 0:
            raise Failure(f"`kill %{n}`: the service exited {proc.returncode}",
                          job["log"].read_text(errors="replace"))

    def stop_all(self):
        for n, job in enumerate(self.jobs, 1):
            if "stopped" not in job:
                try:
                    self.stop(n, strict=False)
                except Failure:
                    pass

    # blocks
    def commands(self, block):
        out, current = [], ""
        for ln in block.text.split("\n"):
            if not current and (not ln.strip() or ln.lstrip().startswith("#")):
                continue
            if ln.endswith("\\"):
                current += ln[:-1] + " "
                continue
            current += ln
            out.append(current.strip())
            current = ""
        if current.strip():
            out.append(current.strip())
        return out

    def run_block(self, block):
        expect_exit = 0
        head = block.marker.head if block.marker and block.marker.kind == "run" else ""
        m = re.fullmatch(r"exit (\d+)", head)
        if m:
            expect_exit = int(m.group(1))
        elif head:
            raise Failure(f"unknown marker `run: {head}`")
        commands = self.commands(block)
        if not commands:
            raise Failure("an empty ```sh block")
        if expect_exit and len(commands) != 1:
            raise Failure("a block marked `run: exit N` holds one command")
        printed = ""
        for command in commands:
            self.vet(command)
            if re.fullmatch(r"kill %\d+", command):
                self.stop(int(command[6:]))
                continue
            if command.endswith("&") and not command.endswith("&&"):
                printed += self.start_service(command[:-1].strip())
                continue
            code, out = self.run(self.to_real(command))
            printed += self.to_doc(out)
            if code != expect_exit:
                raise Failure(f"`{command}` exited {code}, not {expect_exit}", out)
        shown = block.next if block.next and block.next.lang == "text" and not block.next.marker \
            else None
        what = commands[0] if len(commands) == 1 else \
            f"{commands[0]} (and {len(commands) - 1} more)"
        if shown is None:
            self.ok(block.line, what)
            return
        if UPDATE_ALL and shown.text != normalise_end(printed):
            self.updates.append((shown.start, shown.end, normalise_end(printed)))
            print(f"new  {self.name}:{shown.line}: {what}", flush=True)
            self.passed += 1
        elif normalise(shown.text) == normalise(printed):
            self.ok(block.line, what + " — output as shown")
        elif UPDATE:
            self.updates.append((shown.start, shown.end, normalise_end(printed)))
            print(f"new  {self.name}:{shown.line}: {what}", flush=True)
            self.passed += 1
        else:
            raise Failure(f"`{what}` prints otherwise now (the block at line {shown.line}):",
                          difference(normalise(shown.text), normalise(printed), "    "))

    def write_file(self, block):
        rel = pathlib.PurePosixPath(block.marker.head)
        if rel.is_absolute() or ".." in rel.parts:
            raise Failure(f"`file: {rel}` must be a path inside the session")
        path = self.cwd / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(block.text, encoding="utf-8")
        self.ok(block.line, f"wrote {rel}")

    # snippets
    def snippet_dir(self):
        # a/b: no laws/ folder in, beside or above a snippet by chance
        d = self.base / "snippets" / str(next(self.snippets)) / "a" / "b"
        d.mkdir(parents=True)
        return d

    def set_copy(self, opts):
        """A scratch directory holding policies/SET (a copy) and policies/laws (a link)."""
        d = self.snippet_dir()
        name = opts["in"]
        src = ROOT / "policies" / name
        if not src.is_dir():
            raise Failure(f"`in: {name}`: no policies/{name}")
        shutil.copytree(src, d / "policies" / name)
        if "nolaws" not in opts:
            (d / "policies" / "laws").symlink_to(ROOT / "policies" / "laws")
        return d, f"policies/{name}"

    def xy(self, cwd, *argv):
        p = subprocess.run([str(XY), *argv], cwd=cwd, env=self.env, capture_output=True,
                           timeout=COMMAND_TIMEOUT)
        return (p.returncode, p.stdout.decode("utf-8", "replace"),
                p.stderr.decode("utf-8", "replace"))

    def check(self, marker, block):
        items = [x.strip() for x in marker.head.split(",") if x.strip()]
        if not items:
            raise Failure("`check:` needs ok, an error code, request or decision")
        expect, opts = items[0], {}
        for item in items[1:]:
            key, _, value = item.partition(":")
            opts[key.strip()] = value.strip()
        unknown = set(opts) - {"in", "kind", "for", "rule", "lines", "columns", "laws", "nolaws",
                               "replace", "lang", "says", "outcome", "rules", "request", "with",
                               "refused"}
        if unknown:
            raise Failure(f"unknown option(s) of `check:`: {', '.join(sorted(unknown))}")
        text = marker.body + "\n" if marker.body else (block.text if block else None)
        if text is None:
            raise Failure("a `check:` marker without a snippet: put it before a fenced block, or "
                          "the snippet on the lines after `check: …` inside the comment")
        lang = opts.get("lang", "en")
        line = block.line if block and not marker.body else marker.line
        if expect in ("request", "decision"):
            self.drain()  # `with: previous` is the last snippet before it
            return self.check_json(expect, opts, text, line)
        if not (expect == "ok" or re.fullmatch(r"E\d{4}", expect)):
            raise Failure(f"`check: {expect}`: expected ok, an error code, request or decision")

        if "replace" in opts:
            if "in" not in opts or not block or marker.body:
                raise Failure("`replace:` goes with `in:`, before the block of diagnostics it "
                              "shows")
            self.submit(line, self.check_replace, expect, opts, block, lang, line)
            return
        parts = [x.strip("\n") + "\n" for x in re.split(r"^---$", text, flags=re.M)]
        if "lines" in opts or "columns" in opts:
            parts = [part for t in parts for ln in t.splitlines() if ln.strip()
                     for part in (re.split(r" {3,}", ln.strip(), maxsplit=1) if "columns" in opts
                                  else [ln.strip()])]
        self.submit(line, self.check_parts, expect, opts, parts, lang, line)

    def submit(self, line, fn, *args):
        self.pending.append((line, self.pool.submit(fn, *args)))

    def drain(self):
        """Reports the snippet checks submitted so far, in the doc's order."""
        pending, self.pending = self.pending, []
        for line, future in pending:
            try:
                status, message, previous = future.result()
            except Failure as e:
                self.fail(line, e.args[0], e.args[1] if len(e.args) > 1 else "")
                continue
            except (OSError, subprocess.SubprocessError, ValueError) as e:
                self.fail(line, f"{type(e).__name__}: {e}")
                continue
            if status == "new":
                print(f"new  {self.name}:{line}: {message}", flush=True)
                self.passed += 1
            else:
                self.ok(line, message)
            if previous:
                self.previous = previous

    def check_replace(self, expect, opts, block, lang, line):
        d, path = self.set_copy(opts)
        old, sep, new = opts["replace"].partition(" -> ")
        if not sep:
            raise Failure("`replace: A -> B`")
        hits = [(f, f.read_text(encoding="utf-8").count(old)) for f in (d / path).rglob("*.xy")]
        hits = [(f, n) for f, n in hits if n]
        if len(hits) != 1 or hits[0][1] != 1:
            raise Failure(f"`replace:` `{old}` occurs {sum(n for _, n in hits)} times in "
                          f"policies/{opts['in']}, not once")
        f = hits[0][0]
        f.write_text(f.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")
        code, out, err = self.xy(d, "compile", path, "-o", str(d / "out.xyb"), "--lang", lang)
        printed = out + err
        want_code = 0 if expect == "ok" else 1
        if code != want_code or (expect != "ok" and f"[{expect}]" not in printed):
            raise Failure(f"with `{old}` -> `{new}`, `xy compile {path}` exits {code} "
                          f"without {expect}", printed)
        if printed == block.text:
            return "ok", f"diagnostics of {path} with `{new}` as shown", None
        if UPDATE:
            self.updates.append((block.start, block.end, printed))
            return "new", f"diagnostics of {path} with `{new}`", None
        raise Failure(f"the diagnostics of {path} with `{new}` are otherwise now:",
                      difference(block.text, printed, "    "))

    def check_parts(self, expect, opts, parts, lang, line):
        previous = None
        if expect == "ok" and "rule" in opts:  # conditions that must all compile: one policy
            previous = self.compile_snippet(expect, opts, parts, lang, line)
        for part in parts if previous is None else []:
            previous = self.compile_snippet(expect, opts, [part], lang, line)
        where = f"in policies/{opts['in']}" if "in" in opts else "alone"
        one = len(parts) == 1
        verb = ("compiles" if one else "compile") if expect == "ok" else \
            f"{'fails' if one else 'fail'} with {expect}"
        return "ok", f"{'snippet' if one else f'{len(parts)} snippets'} {verb} ({where})", \
            previous if expect == "ok" else None

    def compile_snippet(self, expect, opts, parts, lang, line):
        if "in" in opts:
            d, path = self.set_copy(opts)
            target = d / path / "zz-文档片段.xy"
            laws = []
        else:
            d = self.snippet_dir()
            path = "snippet"
            (d / path).mkdir()
            target = d / path / "snippet.xy"
            laws = ["--laws", str(ROOT / "policies" / "laws")] if "laws" in opts else []
        kinds = {"check": ("检查", "不予许可", "禁止"), "review": ("审查", "通过", "不能")}
        if "kind" in opts and opts["kind"] not in kinds:
            raise Failure("`kind: check` or `kind: review`")
        if "rule" in opts:
            if "kind" not in opts:
                raise Failure("`rule: ACTION` goes with `kind:`")
            text = ""
            for n, condition in enumerate((c.strip() for c in parts), 1):
                if not re.match(r"当|如果|when\s", condition):
                    condition = "当 " + condition
                text += f"规则 文档片段{n} {kinds[opts['kind']][2]} {opts['rule']}\n  {condition}\n"
        else:
            text = "".join(parts)
        if "kind" in opts:
            k, default, _ = kinds[opts["kind"]]
            head = f"政策 文档片段 {{\n  类型 {k}\n  默认 {default}\n"
            if opts.get("for"):
                head += f"  针对 {opts['for']}\n"
            text = head + text + "}\n"
        target.write_text(text, encoding="utf-8")
        code, out, err = self.xy(d, "compile", path, "-o", str(d / "out.xyb"), "--lang", lang,
                                 *laws)
        printed = out + err
        where = f"in policies/{opts['in']}" if "in" in opts else "alone"
        if expect == "ok":
            if code != 0:
                raise Failure(f"the snippet is presented as valid, but does not compile ({where}):",
                              text + "  ⇒\n" + printed)
        elif code != 1 or f"[{expect}]" not in printed:
            said = sorted(set(re.findall(r"\[(E\d{4})\]", printed))) or ["no error"]
            raise Failure(f"the doc says {expect}, the compiler says {', '.join(said)} "
                          f"({where}; exit {code}):", text + "  ⇒\n" + printed)
        if opts.get("says") and opts["says"] not in printed:
            raise Failure(f"the diagnostics do not say `{opts['says']}` ({where}):",
                          text + "  ⇒\n" + printed)
        return d, path

    def check_json(self, kind, opts, text, line):
        try:
            shown = json.loads(text)
        except ValueError as e:
            raise Failure(f"the {kind} is not JSON: {e}")
        if "in" in opts:
            d, path = self.set_copy(opts)
        elif opts.get("with") == "previous" and kind == "request":
            if not self.previous:
                raise Failure("`with: previous`: no snippet was checked ok before")
            d, path = self.previous
        else:
            raise Failure(f"`check: {kind}` needs `in: SET`" + (" or `with: previous`"
                                                               if kind == "request" else ""))
        if kind == "request":
            req = d / "request.json"
            req.write_text(text, encoding="utf-8")
        else:
            if "request" not in opts:
                raise Failure("`check: decision` needs `request: PATH` (inside the set)")
            req = d / path / opts["request"]
            if not req.is_file():
                raise Failure(f"no {path}/{opts['request']}")
        code, out, err = self.xy(d, "check", path, "--request", str(req), "--format", "json")
        if "refused" in opts:
            if kind != "request" or code != 2:
                raise Failure(f"the request should be refused (exit 2), `xy check {path}` exits "
                              f"{code}", out + err)
            self.ok(line, "request refused (exit 2)")
            return
        if code != 0:
            raise Failure(f"`xy check {path}` of the {kind} exits {code}", out + err)
        decision = json.loads(out)
        if kind == "request":
            if "outcome" in opts and decision["outcome"] != opts["outcome"]:
                raise Failure(f"the outcome is {decision['outcome']}, not {opts['outcome']}", out)
            rules = sorted(r["rule"] for r in decision["reasons"])
            if "rules" in opts and rules != sorted(opts["rules"].split()):
                raise Failure(f"the rules are {' '.join(rules) or 'none'}, not {opts['rules']}",
                              out)
            self.ok(line, f"request decided: {decision['outcome']}")
            return
        problems = []
        contained(shown, decision, "", problems)
        if problems:
            raise Failure(f"the decision shown differs from what `xy check {path} --request "
                          f"{opts['request']}` gives:",
                          "\n".join("    " + p for p in problems[:10]))
        self.ok(line, f"decision as shown ({path}, {opts['request']})")

    # the walk
    def walk(self):
        items = parse(self.text)
        session = [x for x in items if isinstance(x, Marker) and x.kind == "session"]
        for m in session:
            for setting in m.head.split():
                key, _, value = setting.partition("=")
                if key == "cwd" and value in ("empty", "repo"):
                    if value == "repo":
                        self.repo_view()
                elif key == "XY_LANG" and value in ("zh", "en"):
                    self.env["XY_LANG"] = value
                else:
                    self.fail(m.line, f"unknown session setting `{setting}`")
        for item in items:
            try:
                if isinstance(item, Marker):
                    if item.kind == "check":
                        self.check(item, None)
                    elif item.kind != "session":
                        raise Failure(f"a `{item.kind}` marker must stand right before a block")
                    continue
                b = item
                kind = b.marker.kind if b.marker else None
                if b.lang == "sh" and kind not in ("check", "not run"):
                    self.drain()  # report in the doc's order
                if kind == "file":
                    self.write_file(b)
                elif kind == "check":
                    self.check(b.marker, b)
                elif kind == "not run":
                    if b.lang != "sh":
                        raise Failure("`not run` marks a ```sh block")
                elif b.lang == "sh":
                    self.run_block(b)
            except Failure as e:
                self.fail(item.line, e.args[0], e.args[1] if len(e.args) > 1 else "")
            except (OSError, subprocess.SubprocessError, ValueError) as e:
                self.fail(item.line, f"{type(e).__name__}: {e}")
        self.drain()
        self.pool.shutdown()
        if UPDATE and self.updates:
            new = self.text
            for start, end, replacement in sorted(self.updates, reverse=True):
                new = new[:start] + replacement + new[end:]
            self.doc.write_text(new, encoding="utf-8")
            print(f"rewrote {len(self.updates)} block(s) of {self.name}", flush=True)

    def repo_view(self):
        for entry in ROOT.iterdir():
            if not entry.name.startswith((".", "build")):
                (self.cwd / entry.name).symlink_to(entry)
        (self.cwd / "build" / "cli").mkdir(parents=True)
        (self.cwd / "build" / "cli" / "xy").symlink_to(XY)


def normalise_end(s):
    return s if s.endswith("\n") or not s else s + "\n"


def contained(shown, real, path, problems):
    """Every member `shown` has is in `real` with the same value; `…` in a string ends a prefix."""
    if isinstance(shown, dict):
        if not isinstance(real, dict):
            problems.append(f"{path or '(top)'}: shown an object, "
                            f"is {json.dumps(real, ensure_ascii=False)}")
            return
        for k, v in shown.items():
            if k not in real:
                problems.append(f"{path}.{k}: shown, but not in the decision")
            else:
                contained(v, real[k], f"{path}.{k}", problems)
    elif isinstance(shown, list):
        if not isinstance(real, list) or len(real) != len(shown):
            problems.append(f"{path}: shown {len(shown)} element(s), the decision has "
                            f"{len(real) if isinstance(real, list) else json.dumps(real)}")
            return
        for i, (a, b) in enumerate(zip(shown, real)):
            contained(a, b, f"{path}[{i}]", problems)
    elif isinstance(shown, str) and "…" in shown:
        prefix = shown.split("…")[0]
        if not isinstance(real, str) or not real.startswith(prefix):
            problems.append(f"{path}: shown {shown!r}, is {json.dumps(real, ensure_ascii=False)}")
    elif shown != real or type(shown) is not type(real):
        problems.append(f"{path}: shown {json.dumps(shown, ensure_ascii=False)}, "
                        f"is {json.dumps(real, ensure_ascii=False)}")


def main():
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # run the `finally`s: stop services
    passed = failed = 0
    started = time.monotonic()
    for doc in DOCS:
        s = Session(doc, None)
        try:
            s.walk()
        finally:
            s.stop_all()
        passed += s.passed
        failed += s.failed
        if s.failed or KEEP:
            print(f"(session directory kept: {s.base})")
        else:
            shutil.rmtree(s.base, ignore_errors=True)
    print(f"{passed} passed, {failed} failed ({time.monotonic() - started:.1f} s)")
    return 1 if failed or passed == 0 else 0


if __name__ == "__main__":
    sys.exit(main())
