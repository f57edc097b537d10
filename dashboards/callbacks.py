"""What a request to Dash's callback endpoint may carry, checked before Dash reads it.

Dash trusts the body its renderer sends: a missing key, an unknown output, an
input list of the wrong length or a value of the wrong type reaches the
callback (or Dash itself) and ends as a 500. Our pages' renderer never sends
such a body, so anything else is answered 400 here, with what was wrong:

- the shape: a JSON object naming a registered output, with the inputs, state
  and outputs that callback declares (same ids, same properties, same count);
- the values: each must fit the type its callback parameter is annotated with
  (every callback is fully annotated), whole numbers within the id range, no
  NUL or unpaired surrogate in any text (PostgreSQL stores neither);
- ``changedPropIds``: only the inputs of this request, and at least one for a
  callback registered with ``prevent_initial_call`` (the renderer calls those
  only when an input changed);
- pattern-matching ids: the entries of one pattern name the same components
  in the inputs, state and outputs (they are the components on the page).
"""

from __future__ import annotations

import functools
import inspect
import json
import math
import types
from collections.abc import Mapping
from typing import Any, Union, get_args, get_origin, get_type_hints, is_typeddict

from dash import Dash
from dash._utils import stringify_id  # the renderer's spelling of ids, public in effect

from core.models.base import MAX_ID
from core.records import text_problem

# Analysts' selections on the cluster map carry each selected point (a lasso over
# 20,000 points is a few MB); everything else is far smaller.
MAX_CALLBACK_BYTES = 8 * 1024 * 1024


class CallbackSpec:
    """The ids, properties and parameter types one registered callback expects."""

    def __init__(self, entry: Mapping[str, Any], *, prevent_initial_call: bool = False):
        self.prevent_initial_call = prevent_initial_call
        self.inputs = [(i["id"], i["property"]) for i in entry["inputs"]]
        self.state = [(s["id"], s["property"]) for s in entry["state"]]
        outputs = entry["output"]
        self.multi_output = isinstance(outputs, list | tuple)
        self.outputs = [
            (o.component_id_str(), o.component_property)
            for o in (outputs if self.multi_output else [outputs])
        ]
        function = inspect.unwrap(entry["callback"])
        hints = get_type_hints(function)
        names = list(inspect.signature(function).parameters)
        self.types = [hints.get(name, Any) for name in names[: len(self.inputs) + len(self.state)]]


def callback_specs(app: Dash) -> dict[str, CallbackSpec]:
    """One spec per registered output string; build after every page registered."""
    # The dependency list Dash serves to its renderer (/_dash-dependencies) is the
    # one place that keeps prevent_initial_call.
    waits = {c["output"]: bool(c.get("prevent_initial_call")) for c in app._callback_list}
    # Clientside callbacks (no Python function) run in the browser and never reach the
    # server: a request naming one is refused like any unknown output.
    return {
        output: CallbackSpec(entry, prevent_initial_call=waits.get(output, False))
        for output, entry in app.callback_map.items()
        if "callback" in entry
    }


def _is_pattern(dep_id: str) -> bool:
    return dep_id.startswith("{")


def _check_dependency(entry: Any, dep_id: str, prop: str, where: str) -> str | None:
    """``entry`` as the renderer sends it for one declared dependency."""
    if _is_pattern(dep_id):
        if not isinstance(entry, list):
            return f"{where} must be a list (a pattern-matching dependency)"
        pattern = json.loads(dep_id)
        for n, item in enumerate(entry):
            if (
                not isinstance(item, dict)
                or not _matches(item.get("id"), pattern)
                or item.get("property") != prop
            ):
                return f"{where}[{n}] must be {{id: {dep_id}, property: {prop!r}}}"
            # An "id" property is the component's id itself.
            if prop == "id" and "value" in item and item["value"] != item["id"]:
                return f"{where}[{n}] must have its own id as the value of 'id'"
        return None
    if not isinstance(entry, dict) or entry.get("id") != dep_id or entry.get("property") != prop:
        return f"{where} must be {{id: {dep_id!r}, property: {prop!r}, value: ...}}"
    return None


def _matches(ident: Any, pattern: dict[str, Any]) -> bool:
    """A concrete id of a pattern: the same keys, the fixed parts equal, and each
    wildcard part a whole number (every pattern on our pages indexes rows by id)."""
    if not isinstance(ident, dict) or set(ident) != set(pattern):
        return False
    for key, wanted in pattern.items():
        value = ident[key]
        if isinstance(wanted, list):  # ["ALL"], ["MATCH"], ["ALLSMALLER"]
            if type(value) is not int or not 0 <= value <= MAX_ID:
                return False
        elif value != wanted:
            return False
    return True


@functools.cache
def _record_fields(hint: Any) -> dict[str, Any]:
    """A TypedDict's keys and types, resolved once rather than on every request."""
    return get_type_hints(hint)


def _fits(value: Any, hint: Any) -> bool:
    """Whether a decoded JSON value fits a parameter annotation."""
    if hint is Any:
        return True
    origin = get_origin(hint)
    if origin in (Union, types.UnionType):
        return any(_fits(value, arg) for arg in get_args(hint))
    if hint is type(None):
        return value is None
    if hint is bool:
        return isinstance(value, bool)
    if hint is int:
        return type(value) is int and 0 <= value <= MAX_ID
    if hint is float:
        return type(value) in (int, float) and math.isfinite(value) and 0 <= value <= MAX_ID
    if hint is str:
        return isinstance(value, str)
    if origin is list:
        (item,) = get_args(hint) or (Any,)
        return isinstance(value, list) and all(_fits(v, item) for v in value)
    if origin is dict:
        _, item = get_args(hint) or (Any, Any)
        return isinstance(value, dict) and all(_fits(v, item) for v in value.values())
    if is_typeddict(hint):
        # A record kept in a dcc.Store: exactly its keys, each of its type.
        fields = _record_fields(hint)
        return (
            isinstance(value, dict)
            and set(value) == set(fields)
            and all(_fits(value[k], t) for k, t in fields.items())
        )
    # An annotation this check does not know refuses everything, so a new callback
    # with one fails its first test instead of taking unchecked input.
    return False


def _text_problem_in(value: Any, where: str, depth: int = 0) -> str | None:
    if isinstance(value, str):
        problem = text_problem(value)
        return f"{where} {problem}" if problem else None
    if depth > 64:
        return f"{where} is nested too deeply"
    if isinstance(value, dict):
        for key, item in value.items():
            if problem := _text_problem_in(key, where, depth + 1) or _text_problem_in(
                item, where, depth + 1
            ):
                return problem
    elif isinstance(value, list):
        for item in value:
            if problem := _text_problem_in(item, where, depth + 1):
                return problem
    return None


def body_problem(specs: Mapping[str, CallbackSpec], body: Any) -> str | None:
    """Why ``body`` is not a callback request our pages could have sent, or None."""
    if not isinstance(body, dict):
        return "The body must be a JSON object."
    output = body.get("output")
    if not isinstance(output, str) or output not in specs:
        return "output: no callback has this output."
    spec = specs[output]
    inputs, state = body.get("inputs"), body.get("state", [])
    if not isinstance(inputs, list) or len(inputs) != len(spec.inputs):
        return f"inputs: must be a list of {len(spec.inputs)} for this output."
    if not isinstance(state, list) or len(state) != len(spec.state):
        return f"state: must be a list of {len(spec.state)} for this output."
    outputs = body.get("outputs")
    declared = spec.outputs
    if spec.multi_output:
        if not isinstance(outputs, list) or len(outputs) != len(declared):
            return f"outputs: must be a list of {len(declared)} for this output."
    else:
        outputs = [outputs]
    for n, (entry, (dep_id, prop)) in enumerate(zip(outputs, declared, strict=True)):
        if problem := _check_dependency(entry, dep_id, prop, f"outputs[{n}]"):
            return problem + "."
    values: list[Any] = []
    sent: set[str] = set()
    for kind, entries, deps in (("inputs", inputs, spec.inputs), ("state", state, spec.state)):
        for n, (entry, (dep_id, prop)) in enumerate(zip(entries, deps, strict=True)):
            if problem := _check_dependency(entry, dep_id, prop, f"{kind}[{n}]"):
                return problem + "."
            items = entry if isinstance(entry, list) else [entry]
            if kind == "inputs":
                # Dash's own spelling of a prop id, which changedPropIds must use.
                sent.update(f"{stringify_id(item['id'])}.{prop}" for item in items)
            values.append(
                [i.get("value") for i in entry] if isinstance(entry, list) else entry.get("value")
            )
    for n, (value, hint) in enumerate(zip(values, spec.types, strict=False)):
        where = f"inputs[{n}]" if n < len(spec.inputs) else f"state[{n - len(spec.inputs)}]"
        if not _fits(value, hint):
            return f"{where}: this value does not fit the page (expected {_hint_name(hint)})."
        if problem := _text_problem_in(value, where):
            return problem + "."
    changed = body.get("changedPropIds", [])
    if not isinstance(changed, list) or not all(isinstance(p, str) and p in sent for p in changed):
        return "changedPropIds: must name inputs of this request."
    if spec.prevent_initial_call and not changed:
        return "changedPropIds: this callback runs only when one of its inputs changed."
    return _pattern_problem(spec, outputs, inputs, state)


def _pattern_problem(
    spec: CallbackSpec, outputs: list[Any], inputs: list[Any], state: list[Any]
) -> str | None:
    """Every entry of one pattern id must list the same components (those on the page)."""
    seen: dict[str, list[str]] = {}
    for entries, deps in ((outputs, spec.outputs), (inputs, spec.inputs), (state, spec.state)):
        for entry, (dep_id, _) in zip(entries, deps, strict=True):
            if not _is_pattern(dep_id):
                continue
            ids = sorted(stringify_id(item["id"]) for item in entry)
            if seen.setdefault(dep_id, ids) != ids:
                return f"{dep_id}: the same components must be listed wherever it appears."
    return None


def _hint_name(hint: Any) -> str:
    return getattr(hint, "__name__", None) or str(hint).replace("typing.", "")
