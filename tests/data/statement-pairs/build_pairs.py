"""Writes pairs.jsonl from appearances.jsonl: the labelled pairs the statement benchmark
and the quality test read.

    python tests/data/statement-pairs/build_pairs.py

Every appearance was labelled by reading with its speaker and its statement
(``<speaker>/<occasion>/<what was said>``), so the label of any two appearances
follows: the same statement is ``same``; the same speaker saying something else is
``different_same_speaker``; anyone else is ``different_speaker``. This script only
chooses which pairs to write, never their labels:

- every ``same`` pair;
- ``different_same_speaker``: the other statements of the same occasion (the same
  press conference, interview or speech: the hardest negatives), and the
  cross-occasion pairs listed in HARD_SAME_SPEAKER, chosen by reading because the
  speaker says much the same thing again on another day; at most two appearance
  pairs for each pair of statements;
- ``different_speaker``: the topic pairs in HARD_OTHER_SPEAKER (two people on one
  subject, often in one article), then a seeded sample of other speakers' statements.

The choice does not look at any similarity score, so the set does not favour the
function it measures.
"""

from __future__ import annotations

import itertools
import json
import random
from collections import defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
PER_STATEMENT_PAIR = 2
RANDOM_OTHER_SPEAKER = 40
SEED = 1404

# Statements of one speaker on different occasions that say nearly the same thing.
HARD_SAME_SPEAKER = [
    ("araghchi/2026-01-28/no-contact-no-request", "araghchi/2025-10-08/no-contact-witkoff"),
    ("araghchi/2026-01-28/no-contact-no-request", "araghchi/2025-09/witkoff-talk-untrue"),
    ("araghchi/2025-10-08/no-contact-witkoff", "araghchi/2025-09/witkoff-talk-untrue"),
    ("araghchi/2026-01-28/mediators-active", "araghchi/2025-09/messages-exchanged"),
    ("araghchi/2025-09/no-direct-talks", "araghchi/2026-01-28/no-contact-no-request"),
    ("araghchi/2013-10-geneva/too-early-progress", "araghchi/2014-12-geneva/too-early-to-judge"),
    ("araghchi/2014-12-geneva/detailed-talks-with-us", "araghchi/2025-lavrov/detailed-talks-lavrov"),
    ("araghchi/2025-lavrov/no-talks-under-max-pressure", "araghchi/2026-01-28/no-talks-under-threat"),
    ("pezeshkian/2025-07-tucker/never-sought-nukes", "pezeshkian/2025-09-24/no-nukes-no-bullying"),
    ("pezeshkian/2025-07-tucker/never-sought-nukes", "pezeshkian/2026-02-26/leader-said-no-nukes"),
    ("pezeshkian/2025-07-tucker/not-war-starters", "pezeshkian/ilam/no-war-with-world"),
    (
        "pezeshkian/unity-conference/problem-is-division",
        "pezeshkian/parliament-unity-week/unity-inside-and-out",
    ),
    ("pezeshkian/parliament-unity-week/unity-inside-and-out", "pezeshkian/2024-07-14/no-unity-no-solution"),
    ("pezeshkian/2026-03-04/respect-sovereignty", "pezeshkian/2026-03-07/nation-disappoints-enemies"),
    ("khamenei/2019-11-03/talks-no-result", "khamenei/2025-09-23/talks-no-benefit"),
    ("khamenei/2019-11-03/talks-no-result", "khamenei/undated/talks-wont-lift-sanctions"),
    ("khamenei/2019-05-14/talks-are-poison", "khamenei/2025-09-23/talks-great-harm"),
    ("khamenei/2018-08-29/no-talks-at-any-level", "khamenei/2019-11-03/talks-no-result"),
    ("khamenei/2025-09-23/dictation-not-talks", "khamenei/undated/talks-wont-lift-sanctions"),
    ("ghalibaf/2025-10-08/condemn-gcc-eu-islands", "ghalibaf/2024-10/islands-part-of-iran"),
    ("ghalibaf/2025-10-08/integrity-signed-in-blood", "ghalibaf/2024-10/islands-part-of-iran"),
    ("grossi/board-opening/inspectors-back-unaffected-sites", "grossi/die-presse/visited-all-unattacked"),
    ("grossi/2025-08-fox/first-team-back", "grossi/2025-08-27/important-inspectors-returned"),
    ("grossi/2025-08-27/no-access-fordow", "grossi/die-presse/no-access-natanz"),
    ("grossi/2025-08-27/inspectors-only-bushehr", "grossi/board-opening/inspectors-back-unaffected-sites"),
    ("trump/2026-02/deal-within-month", "trump/2020-08/deal-quickly-after-win"),
    ("trump/fox-radio/they-want-a-deal", "trump/2026-02/deal-within-month"),
    ("trump/2025-06/must-negotiate-now", "trump/2026-02/not-fair-hard-times"),
    ("trump/2025-06/sixty-days", "trump/2026-02/deal-within-month"),
    ("ghalenoei/hong-kong/six-goals-two-opponents", "ghalenoei/esteghlal/five-goals-good"),
    ("ghalenoei/hong-kong/asia-closer", "ghalenoei/afghanistan/no-weak-team"),
    (
        "ghalenoei/asian-cup-hong-kong/three-points-missed-chances",
        "ghalenoei/hong-kong/satisfied-with-result",
    ),
    ("ghalenoei/asian-cup-hong-kong/congratulate-clean-sheet", "ghalenoei/kyrgyzstan/attacking-team"),
    ("ghalenoei/hong-kong/second-goal-foul", "ghalenoei/asian-cup-hong-kong/congratulate-clean-sheet"),
    ("ghalenoei/2024-02-japan/asia-should-be-proud", "ghalenoei/hong-kong/asia-closer"),
    ("ghalenoei/esteghlal-fajr/three-points", "ghalenoei/asian-cup-hong-kong/three-points-missed-chances"),
    ("taremi/2019-01-china/thank-god-semifinal", "taremi/2018-06-morocco/worked-hard-for-win"),
    ("taremi/porto-arouca/happy-with-hattrick", "taremi/2023-top-scorer/team-win-goal"),
    ("taremi/2017-06-uzbekistan/not-just-three-games", "taremi/2018-06-morocco/best-eid-gift"),
    ("larijani/2025-08-18/with-lebanon-always", "larijani/2025-09-28/ready-to-support-lebanon"),
    ("larijani/2025-09-27/hezbollah-authentic", "larijani/2025-08-13/hezbollah-living-movement"),
    ("khaledi/chaharshanbe-suri/259-injured", "khaledi/shaft-minibus/21-injured"),
    ("ejei/2019-02/stand-against-corrupt", "ejei/2025-03-10/procedure-code"),
    ("ejei/undated/judiciary-helps-government", "ejei/2025-03-10/factional-motives"),
    ("baghaei/2025-08-04/no-direct-talks", "baghaei/2026-02-26/talks-only-nuclear"),
    ("baghaei/witkoff-claim/cannot-take-seriously", "baghaei/2025-08-04/no-direct-talks"),
    ("golmohammadi/zob-ahan/no-interview", "golmohammadi/sepahan-loss/nothing-to-say"),
    ("golmohammadi/sepahan-cup/dedicated-to-fans", "golmohammadi/foolad-persepolis/thank-fans"),
    ("mohajerani/2025-09-23/new-york-trip-chance", "mohajerani/2024/no-quarrel-with-anyone"),
    ("ashurmatov/before-iran/ready-100-percent", "ashurmatov/uruguay/defence-did-well"),
    ("sharif/us-claim-missile/no-exercise", "sharif/2024-04-29/palestine-45-years"),
    ("queiroz/iraq-asian-cup/thank-critics", "queiroz/2016-korea/every-game-a-final"),
    ("ejei/aria-case/court-rejected-dismissal", "ejei/2025-03-10/procedure-code"),
    ("zakharova/2016-10-27/hope-no-heavy-weapons", "zakharova/2016-10-27/arms-reach-terrorists"),
]

# Two speakers on one subject.
HARD_OTHER_SPEAKER = [
    ("baghaei/2025-08-04/no-direct-talks", "araghchi/2025-09/no-direct-talks"),
    ("baghaei/witkoff-claim/cannot-take-seriously", "araghchi/2025-10-08/no-contact-witkoff"),
    ("larijani/2025-09-28/ready-to-support-lebanon", "qassem/2025-09-28/ready-to-cooperate"),
    ("khordbin/malavan/referee-weakest", "piravani/derby/referee-good-but"),
    ("khordbin/malavan/referee-weakest", "parvin/gohar/referee-had-problems"),
    ("piravani/derby/referee-good-but", "khomarlou/zob-ahan/referee-protest"),
    ("parvin/gohar/referee-had-problems", "khomarlou/zob-ahan/referee-protest"),
    ("khaledi/chaharshanbe-suri/259-injured", "yektaparast/chaharshanbe-suri/2466-injured"),
    ("khaledi/chaharshanbe-suri/three-dead", "yektaparast/chaharshanbe-suri/nine-dead"),
    ("ashurmatov/before-iran/ready-100-percent", "shomurodov/before-iran/hard-game"),
    ("pezeshkian/2026-02-26/leader-said-no-nukes", "baghaei/2026-02-26/talks-only-nuclear"),
    ("ghorbani/2022-08-29/inflation-59-to-40", "bahmani/2011-09-05/inflation-17-3"),
    ("mohajerani/2024/no-quarrel-with-anyone", "pezeshkian/ilam/no-war-with-world"),
    ("taremi/2024-01-syria/beiranvand-best-keeper", "beiranvand/record/taremi-opened-doors"),
    ("khamenei/2025-09-23/talks-no-benefit", "araghchi/2025-lavrov/no-talks-under-max-pressure"),
    ("pezeshkian/2025-07-tucker/never-sought-nukes", "khamenei/2019-11-03/talks-no-result"),
    ("trump/2026-02/deal-within-month", "araghchi/2026-01-28/no-contact-no-request"),
    ("grossi/2025-08-27/no-sign-material-moved", "pezeshkian/2026-02-26/could-not-even-if"),
    ("ghalenoei/hong-kong/satisfied-with-result", "taremi/2019-01-china/thank-god-semifinal"),
    ("ghalenoei/afghanistan/no-weak-team", "golmohammadi/foolad-persepolis/thank-fans"),
    ("queiroz/2016-korea/every-game-a-final", "ghalenoei/2024-02-japan/turning-point"),
    ("ghalibaf/2025-10-08/al-aqsa-storm", "larijani/2025-09-27/hezbollah-authentic"),
    ("ejei/2025-03-10/factional-motives", "mohajerani/2025-09-23/new-york-trip-chance"),
    ("sharif/us-claim-missile/psychological-operation", "baghaei/witkoff-claim/cannot-take-seriously"),
    # nested speech: one speaker reports what another said, in the same words
    ("dolatabadi/aria-case/court-rejected-dismissal", "ejei/aria-case/court-rejected-dismissal"),
    ("zakharova/2016-10-27/media-campaign-against-russia", "intl-media/2016-10/indiscriminate-bombing"),
    ("anonymous/2026-08-08/resignation-untrue", "pezeshkian/2026-08-08/continue-with-strength"),
    ("infantino/2026-07-06/trump-called-me", "trump/2026-07-06/called-fifa"),
    ("khalaji/2021-11-09/not-government-spokesman", "ganji/2021-11/khalaji-chosen-spokesman"),
    ("naqi/visit/no-news-of-each-other", "bastani-mother/visit/masoud-worried"),
    ("wadephul/2025-09-28/never-nuclear-weapon", "pezeshkian/2025-07-tucker/never-sought-nukes"),
    ("hezbollah/2025-10-11/confront-aggression", "qassem/2025-09-28/ready-to-cooperate"),
]


def read(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def build(appearances: list[dict]) -> list[dict]:
    by_statement: dict[str, list[dict]] = defaultdict(list)
    for a in appearances:
        by_statement[a["statement"]].append(a)
    rng = random.Random(SEED)
    pairs: list[tuple[dict, dict, str]] = []
    seen: set[tuple[str, str]] = set()

    def add(a: dict, b: dict, label: str) -> None:
        key = tuple(sorted((a["id"], b["id"])))
        if a["id"] == b["id"] or key in seen:
            return
        seen.add(key)
        pairs.append((a, b, label))

    def between(s1: str, s2: str, label: str) -> None:
        cross = list(itertools.product(by_statement[s1], by_statement[s2]))
        for a, b in rng.sample(cross, min(PER_STATEMENT_PAIR, len(cross))):
            add(a, b, label)

    for group in by_statement.values():
        for a, b in itertools.combinations(group, 2):
            add(a, b, "same")

    occasions: dict[tuple[str, str], list[str]] = defaultdict(list)
    for statement in by_statement:
        speaker, occasion, _ = statement.split("/", 2)
        occasions[(speaker, occasion)].append(statement)
    for statements in occasions.values():
        for s1, s2 in itertools.combinations(sorted(statements), 2):
            between(s1, s2, "different_same_speaker")
    for s1, s2 in HARD_SAME_SPEAKER:
        between(s1, s2, "different_same_speaker")
    for s1, s2 in HARD_OTHER_SPEAKER:
        between(s1, s2, "different_speaker")

    others = 0
    while others < RANDOM_OTHER_SPEAKER:
        a, b = rng.sample(appearances, 2)
        if a["speaker"] != b["speaker"] and tuple(sorted((a["id"], b["id"]))) not in seen:
            add(a, b, "different_speaker")
            others += 1

    for a, b, label in pairs:
        expected = (
            "same"
            if a["statement"] == b["statement"]
            else "different_same_speaker"
            if a["speaker"] == b["speaker"]
            else "different_speaker"
        )
        assert label == expected, (a["id"], b["id"], label, expected)
    return [
        {"id": f"p{n:03d}", "a": a["id"], "b": b["id"], "label": label}
        for n, (a, b, label) in enumerate(pairs, 1)
    ]


def main() -> None:
    appearances = read(HERE / "appearances.jsonl")
    rows = build(appearances)
    with (HERE / "pairs.jsonl").open("w", encoding="utf-8") as fh:
        for row in rows:
            fh.write(json.dumps(row, ensure_ascii=False) + "\n")
    counts: dict[str, int] = defaultdict(int)
    for row in rows:
        counts[row["label"]] += 1
    print(f"{len(rows)} pairs: {dict(counts)}")


if __name__ == "__main__":
    main()
