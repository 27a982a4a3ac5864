"""perfxl's core: the forms, the model, value parsing, rules, scores, checks and suggestions.

Nothing here knows Excel, Word or files (``tests/test_core_isolation.py`` keeps it so).

==================  ==============================================================
module              what it holds
==================  ==============================================================
``forms``           the three annex tables declared once: rows, columns, labels,
                    units, kinds and relations (sum, 其中, rate); model defaults,
                    checks, schema, workbook and report annexes derive from it
``paths``           model paths (``resolve``) and whether a table is filled (``present``)
``model``           one department-year as typed (glossary English → Chinese)
``money``           the one amount constructor and the one rounding policy
``cells``           an amount cell judged once (parse once: later stages get values)
``lexicon``         the words and patterns of indicator values
``values``          ``parse_value``: an indicator cell → a typed value, never raises
``profile``         rule profiles (TOML with ``extends``); ``profile_keys`` the keys
``rules/``          the scoring rules, one module per concern
``scoring``         the rules applied to a table (each value parsed once)
``codes``           the one registry of finding codes (severity, category, message)
``findings``        the finding value and its helpers
``checks/``         the checks as small rules in a registry, selectable by profile
``checker``         ``check()``: every selected check over one evaluation
``suggestions``     report sentences for sections 七/八
``assessment``      ``assess()``: scores + findings + suggestions, the one entry
``serde/schema``    the JSON data format and its JSON Schema
==================  ==============================================================
"""
