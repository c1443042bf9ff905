"""Writes channel-export.json: a Telegram Desktop "Export chat history" (JSON) of a
made-up news channel, in the exact shape Desktop writes, for the import tests.

    python tests/data/telegram/make_export.py

Its 240 messages hold every kind the importer meets: plain posts, posts with
formatting entities (bold, italic, links, text links, hashtags, mentions), forwarded
posts, albums (the caption on the first photo only), edited posts, posts of media
without text, and service messages. The texts are written for the tests: speakers
and statements combined, so that every post is distinct."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

HERE = Path(__file__).resolve().parent
CHANNEL_ID = 1462003177
START = dt.datetime(2024, 3, 1, 8, 0, tzinfo=dt.UTC)

SPEAKERS = [
    "سخنگوی وزارت امور خارجه",
    "وزیر نفت",
    "رئیس سازمان برنامه و بودجه",
    "فرمانده نیروی انتظامی",
    "سخنگوی دولت",
    "رئیس کل بانک مرکزی",
    "وزیر بهداشت",
    "نمایندهٔ تهران در مجلس",
]
STATEMENTS = [
    "مذاکرات هفتهٔ آینده در مسقط ادامه می‌یابد",
    "صادرات نفت در ماه گذشته {n} درصد افزایش یافته است",
    "بودجهٔ عمرانی امسال {n} هزار میلیارد تومان است",
    "در این عملیات {n} نفر بازداشت شده‌اند",
    "قیمت بنزین تا پایان سال تغییر نمی‌کند",
    "نرخ تورم نقطه‌ای به {n} درصد رسیده است",
    "{n} بیمارستان تازه تا پایان سال افتتاح می‌شود",
    "طرح شفافیت آرا در هفتهٔ آینده بررسی می‌شود",
]
ORIGINS = ["خبرگزاری ایرنا", "خبرگزاری ایسنا", "تسنیم", "کانال خبری فوری"]


def _stamp(moment: dt.datetime) -> dict:
    local = moment.astimezone(dt.timezone(dt.timedelta(hours=3, minutes=30))).replace(tzinfo=None)
    return {"date": local.isoformat(timespec="seconds"), "date_unixtime": str(int(moment.timestamp()))}


def _plain(text: str) -> tuple[str, list]:
    return text, [{"type": "plain", "text": text}]


def _formatted(speaker: str, statement: str, n: int) -> tuple[list, list]:
    parts = [
        {"type": "bold", "text": "فوری |"},
        " ",
        f"{speaker} گفت: «{statement}.»\n",
        {"type": "hashtag", "text": "#اقتصاد"},
        " ",
        {"type": "text_link", "text": "متن کامل", "href": f"https://example.ir/news/{n}"},
        " ",
        {"type": "mention", "text": "@akhbar_test_channel"},
        " ",
        {"type": "italic", "text": f"(شمارهٔ {n})"},
        " ",
        {"type": "link", "text": "https://example.ir"},
    ]
    entities = [p if isinstance(p, dict) else {"type": "plain", "text": p} for p in parts]
    return parts, entities


def build() -> dict:
    messages: list[dict] = []
    moment = START
    message_id = 1

    def add(message: dict) -> None:
        nonlocal message_id, moment
        messages.append({"id": message_id, **message})
        message_id += 1
        moment += dt.timedelta(minutes=17)

    add(
        {
            "type": "service",
            **_stamp(moment),
            "actor": "اخبار آزمایشی",
            "actor_id": f"channel{CHANNEL_ID}",
            "action": "create_channel",
            "title": "اخبار آزمایشی",
            "text": "",
            "text_entities": [],
        }
    )
    n = 0
    while len(messages) < 240:
        n += 1
        speaker = SPEAKERS[n % len(SPEAKERS)]
        statement = STATEMENTS[(n * 3) % len(STATEMENTS)].format(n=n + 4)
        base = {
            "type": "message",
            **_stamp(moment),
            "from": "اخبار آزمایشی",
            "from_id": f"channel{CHANNEL_ID}",
        }
        kind = n % 10
        if kind == 3:  # an album: three photos, the caption on the first
            text, entities = _plain(f"{speaker} در بازدید امروز گفت که {statement}. گزارش تصویری {n}")
            for index in range(3):
                photo = {
                    **base,
                    "photo": f"photos/photo_{message_id}@01-03-2024_08-00-00.jpg",
                    "photo_file_size": 183_000 + index,
                    "width": 1280,
                    "height": 853,
                    "text": text if index == 0 else "",
                    "text_entities": entities if index == 0 else [],
                }
                add(photo)
            continue
        if kind == 5:  # a forwarded post
            text, entities = _plain(
                f"به گزارش {ORIGINS[n % len(ORIGINS)]}، {speaker} اعلام کرد {statement}. ({n})"
            )
            add(
                {**base, "forwarded_from": ORIGINS[n % len(ORIGINS)], "text": text, "text_entities": entities}
            )
            continue
        if kind == 7:  # formatting entities
            text, entities = _formatted(speaker, statement, n)
            add({**base, "text": text, "text_entities": entities})
            continue
        if kind == 8:  # an edited post
            text, entities = _plain(f"{speaker} تأکید کرد: «{statement}.» (ویرایش شد، {n})")
            edited = moment + dt.timedelta(minutes=5)
            add(
                {
                    **base,
                    "edited": _stamp(edited)["date"],
                    "edited_unixtime": _stamp(edited)["date_unixtime"],
                    "text": text,
                    "text_entities": entities,
                }
            )
            continue
        if kind == 9 and n % 20 == 9:  # media without text: a sticker
            add(
                {
                    **base,
                    "file": "stickers/sticker.webp",
                    "media_type": "sticker",
                    "sticker_emoji": "👍",
                    "width": 512,
                    "height": 512,
                    "text": "",
                    "text_entities": [],
                }
            )
            continue
        if kind == 0 and n % 30 == 0:  # a service message: a pinned post
            add(
                {
                    "type": "service",
                    **_stamp(moment),
                    "actor": "اخبار آزمایشی",
                    "actor_id": f"channel{CHANNEL_ID}",
                    "action": "pin_message",
                    "message_id": message_id - 1,
                    "text": "",
                    "text_entities": [],
                }
            )
            continue
        text, entities = _plain(f"{speaker} روز {n} اسفند گفت {statement}.")
        add({**base, "text": text, "text_entities": entities})
    return {"name": "اخبار آزمایشی", "type": "public_channel", "id": CHANNEL_ID, "messages": messages}


if __name__ == "__main__":
    export = build()
    (HERE / "channel-export.json").write_text(
        json.dumps(export, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
    )
    kinds: dict[str, int] = {}
    for message in export["messages"]:
        key = message["type"] if message["type"] == "service" else ("text" if message["text"] else "no text")
        kinds[key] = kinds.get(key, 0) + 1
    print(len(export["messages"]), kinds)
