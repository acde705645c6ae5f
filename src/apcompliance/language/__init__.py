"""The rule language: the rule-file format and loader (`rulebook`), the one condition tree
(`conditions`), its parser (`parse`), named terms (`terms`), its one evaluator (`semantics`,
three-valued) and its rendering in words (`words`)."""
