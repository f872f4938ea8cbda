"""Readable word-level differences between two revisions' content."""
import difflib
from html import escape

import regex
from markupsafe import Markup

TOKEN_RE = regex.compile(r"\s+|[\p{L}\p{N}]+|[^\s\p{L}\p{N}]")


def _flatten(content):
    """Field label → text, in a stable order, for any revision content."""
    rows = [("title", content.get("title", "")), ("lead", content.get("lead", "")),
            ("body", content.get("body", ""))]
    for key, value in sorted((content.get("fields") or {}).items()):
        rows.append((f"fields.{key}", "" if value is None else str(value)))
    for key, value in sorted((content.get("variants") or {}).items()):
        rows.append((f"variants.{key}", value or ""))
    return rows


def word_diff(old, new):
    """HTML of the new text with deletions in <del> and insertions in <ins>; all text escaped."""
    a, b = TOKEN_RE.findall(old or ""), TOKEN_RE.findall(new or "")
    out = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            out.append(escape("".join(a[i1:i2])))
            continue
        if i2 > i1:
            out.append(f"<del>{escape(''.join(a[i1:i2]))}</del>")
        if j2 > j1:
            out.append(f"<ins>{escape(''.join(b[j1:j2]))}</ins>")
    return Markup("".join(out))


def diff_content(old, new):
    """Per field: name, whether it changed, the HTML diff, and plain old/new text."""
    old_rows, new_rows = dict(_flatten(old)), dict(_flatten(new))
    fields = list(dict.fromkeys([k for k, _ in _flatten(old)] + [k for k, _ in _flatten(new)]))
    result = []
    for name in fields:
        before, after = old_rows.get(name, ""), new_rows.get(name, "")
        result.append({
            "field": name,
            "changed": before != after,
            "html": word_diff(before, after),
            "old": before,
            "new": after,
        })
    return result


def unified(old, new, old_label="a", new_label="b"):
    """A unified line diff of all fields, for the API and plain-text use."""
    def lines(content):
        out = []
        for name, text in _flatten(content):
            out.append(f"## {name}")
            out.extend(text.splitlines() or [""])
        return out

    diff = difflib.unified_diff(lines(old), lines(new), old_label, new_label, lineterm="")
    return "\n".join(diff)
