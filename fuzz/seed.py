#!/usr/bin/env python3
"""Seeds fuzz/corpus/<target>/ from the rule fixtures, the test fixtures and
examples/. Run from anywhere; existing corpus files are kept.

`hcl_pieces` seeds are a `.tf` file, a NUL byte and the file with a line
added. File sets (targets `check` and `hcl_model`) are written as
`path NUL contents NUL ...`, the form fuzz/src/lib.rs decodes; LSP seeds
are message bodies separated by NUL bytes (see fuzz_targets/lsp.rs)."""

import hashlib
import json
import pathlib

FUZZ = pathlib.Path(__file__).resolve().parent
REPO = FUZZ.parent
ROOT = "/costlint-fuzz"
KINDS = (".tf", ".tf.json", ".tfvars", ".tfvars.json", ".yaml", ".yml", ".toml", ".json")
TERRAFORM = (".tf", ".tf.json", ".tfvars", ".tfvars.json")
YAML = (".yaml", ".yml")


def write(target, data):
    out = FUZZ / "corpus" / target
    out.mkdir(parents=True, exist_ok=True)
    (out / hashlib.sha1(data).hexdigest()).write_bytes(data)


def file_set(files, base):
    parts = []
    for f in files:
        rel = f.relative_to(base).as_posix()
        if f.name.endswith(".json") and "plan" in f.name and not f.name.endswith(".tf.json"):
            rel = "plan.json"
        parts += [rel.encode(), f.read_bytes()]
    return b"\0".join(parts)


def files_under(path):
    if path.is_file():
        return [path]
    return sorted(
        f for f in path.rglob("*") if f.is_file() and f.name.endswith(KINDS) and ".snap" not in f.name
    )


def lsp_session(name, text, language):
    uri = f"file://{ROOT}/{name}"
    lines = text.split("\n")
    end = {"line": len(lines) - 1, "character": len(lines[-1])}
    mid = {"line": len(lines) // 2, "character": 2}
    messages = [
        {"jsonrpc": "2.0", "id": 1, "method": "initialize",
         "params": {"processId": None, "rootUri": f"file://{ROOT}",
                    "capabilities": {"general": {"positionEncodings": ["utf-16"]},
                                     "workspace": {"configuration": True}}}},
        {"jsonrpc": "2.0", "method": "initialized", "params": {}},
        {"jsonrpc": "2.0", "method": "textDocument/didOpen",
         "params": {"textDocument": {"uri": uri, "languageId": language, "version": 1, "text": text}}},
        {"jsonrpc": "2.0", "id": 2, "method": "textDocument/hover",
         "params": {"textDocument": {"uri": uri}, "position": mid}},
        {"jsonrpc": "2.0", "id": 3, "method": "textDocument/codeAction",
         "params": {"textDocument": {"uri": uri},
                    "range": {"start": {"line": 0, "character": 0}, "end": end},
                    "context": {"diagnostics": []}}},
        {"jsonrpc": "2.0", "method": "textDocument/didChange",
         "params": {"textDocument": {"uri": uri, "version": 2},
                    "contentChanges": [{"range": {"start": mid, "end": end}, "text": "x = 1\n"}]}},
        {"jsonrpc": "2.0", "id": 4, "method": "textDocument/codeAction",
         "params": {"textDocument": {"uri": uri},
                    "range": {"start": {"line": 0, "character": 0}, "end": mid},
                    "context": {"diagnostics": []}}},
        {"jsonrpc": "2.0", "method": "textDocument/didClose",
         "params": {"textDocument": {"uri": uri}}},
        {"jsonrpc": "2.0", "id": 5, "method": "shutdown", "params": None},
        {"jsonrpc": "2.0", "method": "exit", "params": None},
    ]
    return b"\0".join(json.dumps(m, ensure_ascii=False).encode() for m in messages)


def main():
    sets = []
    for rule_dir in sorted(REPO.glob("rules/*/*")):
        if rule_dir.parent.name == "catalog" or not rule_dir.is_dir():
            continue
        for fixture in sorted(rule_dir.iterdir()):
            if fixture.name.startswith(("fail", "pass")) and ".snap" not in fixture.name:
                sets.append((fixture, fixture.parent if fixture.is_file() else fixture))
    for d in sorted(REPO.glob("tests/fixtures/*/*")):
        sets.append((d, d.parent if d.is_file() else d))
    sets.append((REPO / "examples", REPO / "examples"))
    for sub in sorted((REPO / "examples").glob("*/*")):
        if sub.is_dir():
            sets.append((sub, sub))

    count = 0
    for path, base in sets:
        files = files_under(path)
        if not files:
            continue
        data = file_set(files, base)
        write("check", data)
        if any(f.name.endswith(TERRAFORM) for f in files):
            write("hcl_model", data)
        for f in files:
            raw = f.read_bytes()
            if f.name.endswith(YAML):
                write("yaml_objects", raw)
            if f.name.endswith(TERRAFORM + YAML):
                write("suppress", raw)
                language = "yaml" if f.name.endswith(YAML) else "terraform"
                text = raw.decode("utf-8", "replace")
                write("lsp", lsp_session(f.name, text, language))
            if f.name.endswith(".tf"):
                # The file, then the file with a line added near its middle.
                lines = raw.split(b"\n")
                mid = len(lines) // 2
                edited = b"\n".join(lines[:mid] + [b"  # edited"] + lines[mid:])
                write("hcl_pieces", raw + b"\0" + edited)
        count += 1
    print(f"seeded from {count} fixtures into {FUZZ / 'corpus'}")


if __name__ == "__main__":
    main()
