"""Attribution rules, by construction family.

Everything here works on the matching view ``doc.t`` (same indices as the
offset map in ``text.Doc``) and produces ``Cand`` records with spans in that
view. The public ``extract`` maps them back to the raw text.

Per sentence the rules find three kinds of trigger, all with one compiled
regex each over the whole document:
- frames (``به گزارش X، ...``): source X before a comma, content after it
  (``frames.py``, with embedded cues ``با تاکید بر اینکه A، ...``);
- reporting verbs: the source is the subject found at the start of the clause
  (``subjects.py``: with its apposition, without time/place adverbials), the
  content follows the verb (``که`` clause, quotation, colon speech, bare
  clause) or sits before it (``X را رد کرد``, ``X را Y خواند``, ``از X خبر
  داد``, ``بر X تاکید کرد``) (``verbs.py``);
- colon and quoted speech, labels and headline colons (``سنتکام: ...``)
  (``speech.py``); document statements and agent passives (``documents.py``).

``engine.py`` runs the families over each sentence; ``common.py`` holds the
candidate record and the span helpers.
"""

from __future__ import annotations

from .common import Cand
from .engine import SentenceRules, find_all

__all__ = ["Cand", "SentenceRules", "find_all"]
