"""What the docs tests share: where a doc's shown output and what is printed now first differ."""


def difference(expected, actual, indent="  "):
    a, b = expected.splitlines(), actual.splitlines()
    for i in range(max(len(a), len(b))):
        x = a[i] if i < len(a) else "<end>"
        y = b[i] if i < len(b) else "<end>"
        if x != y:
            return f"{indent}line {i + 1} in the doc:  {x}\n{indent}line {i + 1} printed now: {y}"
    return ""
