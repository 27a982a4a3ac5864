"""perfxl's core: the model, value parsing, rules, scores, checks and suggestions.

Nothing here knows Excel, Word or files (a test keeps it so): ``model`` holds one
department-year, ``values`` reads indicator cells, ``profile`` loads the rule
profile, ``rules`` scores, ``scoring`` applies the rules to a table, ``checker``
collects findings, ``suggestions`` turns them into report sentences, ``serde`` and
``schema`` define the data-file format, ``money`` the amounts and the one rounding
policy.
"""
