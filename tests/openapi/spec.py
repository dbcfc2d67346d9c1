"""docs/openapi.yaml as JSON Schemas (draft 7) that judge the service's answers strictly.

OpenAPI 3.0 schemas are not JSON Schema: `nullable` has no meaning there, and an object schema
accepts any member it does not list. Here references are inlined, `nullable: true` becomes a
type list, and an object schema that lists `properties` without saying anything about
`additionalProperties` is closed, so that a member the spec does not document fails.
"""
import json

import yaml
from jsonschema import Draft7Validator, FormatChecker

METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
# Keywords of OpenAPI that JSON Schema lacks (or reads differently).
OPENAPI_ONLY = {"nullable", "example", "discriminator", "readOnly", "writeOnly", "xml",
                "externalDocs", "deprecated"}
# What an allOf part may hold to be merged into one object (see merge_objects).
MERGEABLE = {"type", "properties", "required", "description"}


def media_type(content_type):
    return content_type.split(";")[0].strip().lower()


class Spec:
    def __init__(self, path):
        with open(path, encoding="utf-8") as f:
            self.doc = yaml.safe_load(f)
        self.validators = {}

    def operations(self):
        for path, item in self.doc["paths"].items():
            for method in item:
                if method in METHODS:
                    yield path, method

    def resolve(self, node):
        while isinstance(node, dict) and "$ref" in node:
            assert node["$ref"].startswith("#/"), node["$ref"]
            target = self.doc
            for part in node["$ref"][2:].split("/"):
                target = target[part.replace("~1", "/").replace("~0", "~")]
            node = target
        return node

    def response(self, path, method, status):
        """The response the spec declares, or None. `path` None: a path the spec lacks, which
        every service answers 404; a method the path lacks is answered by the path's 405."""
        if path is None:
            return self.resolve(self.doc["components"]["responses"]["NotFound"]) \
                if status == 404 else None
        item = self.doc["paths"][path]
        if method not in item:
            if status != 405:
                return None
            method = next(m for m in item if m in METHODS)
        return self.resolve(item[method]["responses"].get(str(status)))

    def problems(self, path, method, status, headers, body):
        """What is wrong with an answer, as lines (none: it is what the spec declares)."""
        where = f"{method.upper()} {path or '(undocumented path)'}"
        declared = self.response(path, method, status)
        if declared is None:
            return [f"status {status} is not declared for {where}"]
        out = [f"header {name} is missing" for name in declared.get("headers", {})
               if name not in headers]
        got = media_type(headers.get("Content-Type", ""))
        content = {media_type(k): v for k, v in declared.get("content", {}).items()}
        if got not in content:
            return out + [f"Content-Type {got or '(none)'} is not declared ({', '.join(content)})"]
        if not got.endswith("json"):
            return out
        try:
            instance = json.loads(body)
        except ValueError as e:
            return out + [f"the body is not JSON: {e}"]
        validator = self.validator(f"{where} {status} {got}", content[got]["schema"])
        errors = sorted((json_path(e), e.message) for e in validator.iter_errors(instance))
        return out + [f"at {path}: {shorten(message)}" for path, message in errors]

    def validator(self, key, schema):
        if key not in self.validators:
            converted = close(self.convert(schema))
            Draft7Validator.check_schema(converted)
            self.validators[key] = Draft7Validator(
                converted, format_checker=FormatChecker())
        return self.validators[key]

    def convert(self, node):
        """An OpenAPI schema as JSON Schema, references inlined, not closed yet."""
        node = self.resolve(node)
        out = {}
        for key, value in node.items():
            if key == "properties":
                out[key] = {name: self.convert(s) for name, s in value.items()}
            elif key in ("items", "not") or key == "additionalProperties" \
                    and isinstance(value, dict):
                out[key] = self.convert(value)
            elif key in ("allOf", "anyOf", "oneOf"):
                out[key] = [self.convert(s) for s in value]
            elif key not in OPENAPI_ONLY:
                out[key] = value
        out = merge_objects(out)
        if node.get("nullable") and "type" in out:  # OpenAPI 3.0.3: it needs a `type`
            out["type"] = [out["type"], "null"]
            if "enum" in out:
                out["enum"] = out["enum"] + [None]
        return out


def merge_objects(schema):
    """allOf of plain object schemas as one object, so that closing it admits the members of
    every part (closed one by one, each part would refuse the members of the others)."""
    parts = schema.get("allOf")
    if not parts or not all(set(p) <= MERGEABLE and p.get("type", "object") == "object"
                            for p in parts):
        return schema
    merged = {k: v for k, v in schema.items() if k != "allOf"}
    merged.setdefault("type", "object")
    for part in parts:
        merged.setdefault("properties", {}).update(part.get("properties", {}))
        merged["required"] = merged.get("required", []) + part.get("required", [])
    return merged


def close(schema):
    """Every object schema with `properties` and no word on other members refuses them."""
    if isinstance(schema, list):
        return [close(s) for s in schema]
    if not isinstance(schema, dict):
        return schema
    out = {}
    for key, value in schema.items():
        if key == "properties":
            out[key] = {name: close(s) for name, s in value.items()}
        elif key in ("items", "not", "additionalProperties", "allOf", "anyOf", "oneOf"):
            out[key] = close(value)
        else:
            out[key] = value
    if "properties" in out:
        out.setdefault("additionalProperties", False)
    return out


def json_path(error):
    return "$" + "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in error.absolute_path)


def shorten(text, limit=240):
    return text if len(text) <= limit else text[:limit] + "…"
