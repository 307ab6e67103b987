#!/usr/bin/env python3
"""Extract the slice of the botocore cognito-idp service model that the suite ships.

The suite derives validation rules, error lists and generators from this file, never from
hand-typed constants. Regenerate after a botocore upgrade:

    pip install botocore && python3 scripts/extract-model.py > contract/cognito-idp.json

The source model is Apache-2.0 (botocore). We keep operations under test plus the set-up
operations the suite and the embedded reference use, and every shape reachable from them.
"""
import gzip
import json
import os
import sys

import botocore

OPERATIONS = [
    # Under test.
    "DeleteUser", "DeleteUserAttributes", "UpdateUserAttributes",
    # Read-back and token lifecycle.
    "GetUser", "GlobalSignOut", "InitiateAuth", "AdminInitiateAuth", "SignUp",
    # Provisioning (SigV4-signed).
    "CreateUserPool", "CreateUserPoolClient", "DeleteUserPool", "ListUserPools",
    "DescribeUserPool", "AdminCreateUser", "AdminSetUserPassword", "AdminGetUser",
    "AdminDeleteUser", "AdminConfirmSignUp", "AdminUpdateUserAttributes",
]
KEEP_SHAPE_KEYS = {"type", "required", "members", "member", "key", "value", "min", "max",
                   "pattern", "sensitive", "enum", "error", "exception", "fault"}
KEEP_MEMBER_KEYS = {"shape"}


def main() -> None:
    path = os.path.join(os.path.dirname(botocore.__file__), "data", "cognito-idp",
                        "2016-04-18", "service-2.json.gz")
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        model = json.load(fh)
    shapes = model["shapes"]
    keep: dict = {}

    def visit(name: str) -> None:
        if name in keep:
            return
        src = shapes[name]
        out = {k: v for k, v in src.items() if k in KEEP_SHAPE_KEYS}
        if "members" in out:
            out["members"] = {m: {k: v for k, v in spec.items() if k in KEEP_MEMBER_KEYS}
                              for m, spec in out["members"].items()}
        keep[name] = out
        for ref in (src.get("members") or {}).values():
            visit(ref["shape"])
        for key in ("member", "key", "value"):
            if key in src:
                visit(src[key]["shape"])

    ops = {}
    for op in OPERATIONS:
        spec = model["operations"][op]
        entry = {"http": spec["http"], "authtype": spec.get("authtype", "v4")}
        if "input" in spec:
            entry["input"] = spec["input"]["shape"]
            visit(entry["input"])
        if "output" in spec:
            entry["output"] = spec["output"]["shape"]
            visit(entry["output"])
        entry["errors"] = [e["shape"] for e in spec.get("errors", [])]
        for e in entry["errors"]:
            visit(e)
        ops[op] = entry
    doc = {
        "source": "botocore/data/cognito-idp/2016-04-18/service-2.json.gz (Apache-2.0)",
        "botocore_version": botocore.__version__,
        "metadata": {k: model["metadata"][k] for k in
                     ("apiVersion", "jsonVersion", "protocol", "targetPrefix", "signingName")
                     if k in model["metadata"]},
        "operations": ops,
        "shapes": dict(sorted(keep.items())),
    }
    json.dump(doc, sys.stdout, indent=1, sort_keys=False)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
