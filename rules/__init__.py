"""The rule set: one YAML file per policy section, one rule per clause (data, not code).

This package holds no code; it exists so the rule files ship inside the wheel and are read
through importlib.resources. See docs/rule-format.md.
"""
