"""The JSON keys table of the man page, and a check of reader lines against it.

The man page (tools/recvmmsg-trace.8, section "JSON keys") is the one list
of the keys a call's JSON line has: each is checked for presence, order and
type; a LOST line has its own four keys.
"""

# The table's types, as Python's json module gives them back.
TYPES = {"integer": int, "string": str, "object": dict, "array": list,
         "boolean": bool, "null": type(None)}
# Present only when there is something to say.
OPTIONAL = {"executable", "toctou", "container", "kubernetes"}
LOST_KEYS = [("timestamp", (int,)), ("processorId", (int,)), ("eventName", (str,)),
             ("count", (int,))]


def load(man_path):
    """[(key, (python types...))] in the table's order."""
    text = open(man_path, encoding="utf-8").read()
    start = text.index(".SS JSON keys")
    body = text[text.index(".TS", start):text.index(".TE", start)].splitlines()[3:]
    table = []
    for row in body:
        key, types, _value, _tracee = row.split("\t")
        table.append((key, tuple(TYPES[t.strip()] for t in types.split(","))))
    return table


def _is(value, types):
    # JSON true is not an integer here, whatever Python says.
    if isinstance(value, bool):
        return bool in types
    return isinstance(value, types)


def check(event, table):
    """Raise AssertionError unless @event (a decoded line) follows @table."""
    if event.get("eventName") == "lost":
        rows = LOST_KEYS
    else:
        rows = [(k, t) for k, t in table if k in event or k not in OPTIONAL]
    want = [k for k, _ in rows]
    assert list(event) == want, f"keys {list(event)}, the table says {want}"
    for key, types in rows:
        assert _is(event[key], types), \
            f"{key} is {type(event[key]).__name__}, the table says {[t.__name__ for t in types]}"


if __name__ == "__main__":
    import json
    import sys
    tab = load(sys.argv[1])
    for line in sys.stdin:
        check(json.loads(line), tab)
    print(f"{len(tab)} keys")
