"""How many regular expressions are written in Python and how many in the typed rule files (issue 18).

    .venv/bin/python scripts/count_regexes.py [--src src/extractor] [--by-module]

Python: the calls `re.compile / search / match / fullmatch / finditer / findall / sub / subn / split` under
--src whose pattern is written in the code: a string literal, an f-string, an expression holding one
(`r"\\b(?:" + "|".join(words) + ")"` counts once) or a name the same module binds to one of those. A pattern
read from a rule file (`re.compile(rules.auc)`) is not counted here. Rule files: the strings that
`extractor.nlp.rules` types as regular expressions, in every rule file of its registry `RULE_FILES`, read from
the installed package whatever --src says (a pattern with a `<NUM>` placeholder counts once, and so does each
fragment of a list the code joins into one alternation).
"""

from __future__ import annotations

import argparse
import ast
import types
from collections import Counter
from pathlib import Path
from typing import Annotated, Any, Union, get_args, get_origin

RE_CALLS = frozenset({"compile", "search", "match", "fullmatch", "finditer", "findall", "sub", "subn", "split"})


def _holds_literal(node: ast.expr, bound: set[str]) -> bool:
    """Whether a pattern is written in the code: a literal, an f-string, a name bound to one, or a sum of parts
    holding one. A call's result is not (`"|".join(words)` alone, `template.replace(...)`)."""
    if isinstance(node, ast.Constant):
        return isinstance(node.value, str)
    if isinstance(node, ast.JoinedStr):
        return True
    if isinstance(node, ast.Name):
        return node.id in bound
    if isinstance(node, ast.BinOp):
        return _holds_literal(node.left, bound) or _holds_literal(node.right, bound)
    if isinstance(node, ast.IfExp):
        return _holds_literal(node.body, bound) or _holds_literal(node.orelse, bound)
    return False


def _literal_names(tree: ast.Module) -> set[str]:
    """Names the module binds to a string literal or f-string (`_NUMBER = r"..."`), at any depth."""
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign | ast.AnnAssign) and node.value is not None:
            value = node.value
            if isinstance(value, ast.JoinedStr) or (isinstance(value, ast.Constant) and isinstance(value.value, str)):
                targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                names.update(t.id for t in targets if isinstance(t, ast.Name))
    return names


def python_regexes(path: Path) -> int:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    bound = _literal_names(tree)
    found = 0
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.args):
            continue
        func = node.func
        if isinstance(func.value, ast.Name) and func.value.id == "re" and func.attr in RE_CALLS:
            found += _holds_literal(node.args[0], bound)
    return found


def _field_type(field: Any) -> Any:
    """A pydantic field's declared type, its `Annotated` metadata put back (pydantic keeps it apart)."""
    return Annotated[(field.annotation, *field.metadata)] if field.metadata else field.annotation


def _typed_regexes(value: Any, annotation: Any, regex: Any) -> int:
    """How many of the strings in `value` (declared as `annotation`) are typed as `regex`."""
    from pydantic import BaseModel

    if value is None:
        return 0
    if annotation == regex:
        return 1
    if isinstance(value, BaseModel):
        fields = type(value).model_fields
        return sum(_typed_regexes(getattr(value, name), _field_type(f), regex) for name, f in fields.items())
    origin, args = get_origin(annotation), get_args(annotation)
    if origin is Annotated:
        return _typed_regexes(value, args[0], regex)
    if origin in (Union, types.UnionType):
        return max(_typed_regexes(value, arg, regex) for arg in args)
    if isinstance(value, dict) and len(args) == 2:
        return sum(_typed_regexes(v, args[1], regex) for v in value.values())
    if isinstance(value, list | tuple) and args:
        return sum(_typed_regexes(v, args[0], regex) for v in value)
    return 0


def rule_file_regexes() -> dict[str, int] | None:
    """Regex strings per rule file, through the typed models; None when the package has no rule registry."""
    try:
        from extractor.nlp import rules
    except ImportError:
        return None
    registry = getattr(rules, "RULE_FILES", None)
    if registry is None:
        return None
    return {name: _typed_regexes(loader(), None, rules.Regex) for name, loader in registry.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--src", type=Path, default=Path("src/extractor"))
    parser.add_argument("--by-module", action="store_true", help="list the Python count per module")
    args = parser.parse_args()
    per_module = Counter({str(p.relative_to(args.src)): python_regexes(p) for p in sorted(args.src.rglob("*.py"))})
    print(f"regexes written in Python under {args.src}: {sum(per_module.values())}")
    if args.by_module:
        for module, n in per_module.most_common():
            if n:
                print(f"  {n:4d}  {module}")
    per_file = rule_file_regexes()
    if per_file is None:
        print("regexes in typed rule files: (no rule registry `extractor.nlp.rules.RULE_FILES` in this version)")
        return
    print(f"regexes in typed rule files ({len(per_file)} files): {sum(per_file.values())}")
    for name, n in per_file.items():
        print(f"  {n:4d}  {name}")


if __name__ == "__main__":
    main()
