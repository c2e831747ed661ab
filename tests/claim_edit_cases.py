"""Near-copies of a made-up article's sentences: one claim changed, or backed and reworded.

Written for the tests (no article of the data). ``CHANGED``: (summary sentence, what the edit names);
``BACKED``: sentences the article supports that must not be taken as edits.
"""

ARTICLE = (
    "Councillor Tom Baird approved the plan to rebuild the Elm Street bridge on Monday.\n"
    "Councillor Ann Reyes had opposed it for two years, saying the town could not afford it.\n"
    "The bridge will cost 14 million pounds and carry 3,000 cars a day, according to the council.\n"
    "About 40 residents attended the meeting in Dunmore, while 12 protesters gathered outside in Kellford.\n"
    "The work will start in March and finish in 2028.\n"
    "The contract was awarded by the regional transport agency to Harlow Construction.\n"
    "Residents did not object to the closure of the old ferry, Ms Reyes said."
)

#: One edit each, found by the alignment: (sentence, edit kind, the summary words it names).
EDITED = [
    (
        "Councillor Ann Reyes approved the plan to rebuild the Elm Street bridge on Monday.",
        "name",
        "Ann Reyes",
    ),
    (
        "Councillor Tom Baird rejected the plan to rebuild the Elm Street bridge on Monday.",
        "word",
        "rejected",
    ),
    (
        "The bridge will cost 12 million pounds and carry 3,000 cars a day, according to the council.",
        "number",
        "12",
    ),
    (
        "About 12 residents attended the meeting in Dunmore, "
        "while 40 protesters gathered outside in Kellford.",
        "number",
        "12",
    ),
    (
        "About 40 residents attended the meeting in Kellford, "
        "while 12 protesters gathered outside in Kellford.",
        "name",
        "Kellford",
    ),
    ("Councillor Tom Baird approved the plan to rebuild the Elm Street bridge in March.", "name", "March"),
    ("Residents objected to the closure of the old ferry, Ms Reyes said.", "negation", "objected"),
    (
        "Councillor Ann Reyes had supported it for two years, saying the town could not afford it.",
        "word",
        "supported",
    ),
    (
        "Councillor Ann Reyes had opposed it for two years, saying the town could afford it.",
        "negation",
        "afford",
    ),
    ("The contract was awarded by the regional transport agency to Dunmore Construction.", "name", "Dunmore"),
    (
        "Councillor Tom Baird approved the plan to rebuild the Elm Street bridge on Tuesday.",
        "word",
        "Tuesday",
    ),
]

#: All of them, and one claim changed in a way another part of the checker refuses (a year the
#: article does not have): the whole checker must refuse each.
CHANGED = [*(s for s, _, _ in EDITED), "The work will start in March and finish in 2026."]

#: Backed near-copies that must stay supported.
BACKED = [
    "Councillor Tom Baird approved the plan to rebuild the Elm Street bridge.",
    "Baird approved the plan to rebuild the Elm Street bridge on Monday.",
    "Mr Baird approved the plan to rebuild the Elm Street bridge on Monday.",
    "The bridge will cost fourteen million pounds, according to the council.",
    "Councillor Ann Reyes had opposed it for two years, telling reporters the town could not afford it.",
    "On Monday, Councillor Tom Baird approved the plan to rebuild the Elm Street bridge.",
    "About 40 residents attended the meeting in Dunmore.",
    "The work will start in March and finish in 2028, and the bridge will cost 14 million pounds.",
    "He approved the plan to rebuild the Elm Street bridge on Monday.",
    "Residents did not object to the closure of the old ferry, Reyes said.",
    "The regional transport agency awarded the contract to Harlow Construction.",
    "Councillor Tom Baird approves the plan to rebuild the Elm Street bridge on Monday.",
    "The rebuilding will start in March and finish in 2028.",
]
