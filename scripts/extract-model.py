#!/usr/bin/env python3
"""Extract the slice of the botocore cognito-idp service model that the suite ships.

The suite derives validation rules, error lists and generators from this file, never from
hand-typed constants. Regenerate after a botocore upgrade:

    pip install botocore && python3 scripts/extract-model.py > contract/cognito-idp.json

The source model is Apache-2.0 (botocore). We keep operations under test plus the set-up
operations the suite and the embedded reference use, and every shape reachable from them.

Adding operations without touching what is already shipped:

    python3 scripts/extract-model.py --merge contract/cognito-idp.json > /tmp/m.json \
        && mv /tmp/m.json contract/cognito-idp.json

With --merge FILE the existing file is the base: its header, its operations and every shape it
already holds are kept byte for byte (even when the installed botocore is a different
version); only operations of OPERATIONS missing from FILE are added, with the shapes reachable
from them that FILE does not hold yet. When the installed botocore differs from the file's
`botocore_version`, the added operations are listed under `merged` with the version they came
from, so a reader knows the slice mixes two releases. A shape the new operations share with the
existing ones keeps its old definition. Without --merge the whole slice is regenerated from the
installed botocore.

History: AdminDeleteUserAttributes, AddCustomAttributes and GetUserAttributeVerificationCode
were added with --merge from botocore 1.43.11, the same release the file came from, so the
merged file equals a full regeneration. AdminDisableUser, AdminEnableUser and VerifyUserAttribute
were added the same way from botocore 1.43.11.
"""
import argparse
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
    # Token states and alias moves (a disabled user's token; verifying a taken e-mail).
    "AdminDisableUser", "AdminEnableUser", "VerifyUserAttribute",
    # Attribute-operation family (reference target).
    "AdminDeleteUserAttributes", "AddCustomAttributes", "GetUserAttributeVerificationCode",
]
KEEP_SHAPE_KEYS = {"type", "required", "members", "member", "key", "value", "min", "max",
                   "pattern", "sensitive", "enum", "error", "exception", "fault"}
KEEP_MEMBER_KEYS = {"shape"}


def load_botocore_model() -> dict:
    path = os.path.join(os.path.dirname(botocore.__file__), "data", "cognito-idp",
                        "2016-04-18", "service-2.json.gz")
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        return json.load(fh)


def extract(model: dict, operations: list, existing_shapes: dict) -> tuple:
    """Operations and the shapes reachable from them that `existing_shapes` lacks."""
    shapes = model["shapes"]
    keep: dict = {}

    def visit(name: str) -> None:
        if name in keep or name in existing_shapes:
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
    for op in operations:
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
    return ops, keep


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--merge", metavar="FILE",
                        help="keep FILE byte for byte and add only the missing operations")
    args = parser.parse_args()
    model = load_botocore_model()
    if args.merge:
        with open(args.merge, encoding="utf-8") as fh:
            doc = json.load(fh)
        missing = [op for op in OPERATIONS if op not in doc["operations"]]
        ops, new_shapes = extract(model, missing, doc["shapes"])
        doc["operations"].update(ops)
        doc["shapes"] = dict(sorted({**doc["shapes"], **new_shapes}.items()))
        if missing and doc.get("botocore_version") != botocore.__version__:
            merged = doc.setdefault("merged", [])
            merged.append({"botocore_version": botocore.__version__, "operations": missing})
    else:
        ops, shapes = extract(model, OPERATIONS, {})
        doc = {
            "source": "botocore/data/cognito-idp/2016-04-18/service-2.json.gz (Apache-2.0)",
            "botocore_version": botocore.__version__,
            "metadata": {k: model["metadata"][k] for k in
                         ("apiVersion", "jsonVersion", "protocol", "targetPrefix",
                          "signingName")
                         if k in model["metadata"]},
            "operations": ops,
            "shapes": dict(sorted(shapes.items())),
        }
    json.dump(doc, sys.stdout, indent=1, sort_keys=False)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
