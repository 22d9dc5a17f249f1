# Didit's X-Signature-V2 signer: integer-valued floats become ints (Didit's documented shorten_floats), then
# json.dumps(sort_keys=True, separators=(",", ":"), ensure_ascii=False), applied to what json.loads makes of
# each input.
#
# Usage: python3 python-json.py numbers.txt payloads.jsonl > python-json.tsv
# Prints "<input> TAB <canonical form>" per input line.
import json
import sys


def shorten_floats(data):
    if isinstance(data, dict):
        return {key: shorten_floats(value) for key, value in data.items()}
    if isinstance(data, list):
        return [shorten_floats(item) for item in data]
    if isinstance(data, float) and data.is_integer():
        return int(data)
    return data


sys.stdout.reconfigure(encoding="utf-8", newline="\n")
for path in sys.argv[1:]:
    with open(path, encoding="utf-8", newline="\n") as lines:
        for line in lines:
            line = line.rstrip("\n")
            if not line or line.startswith("#"):
                continue
            canonical = json.dumps(shorten_floats(json.loads(line)), sort_keys=True, separators=(",", ":"),
                                   ensure_ascii=False)
            print(line + "\t" + canonical)
