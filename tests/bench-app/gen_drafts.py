"""Writes a folder of N realistic drafts (deterministic): front matter + 150-900 words of body.

usage: gen_drafts.py OUT_DIR [N=10000]
"""

import random
import sys
from pathlib import Path

SECTIONS = ["world", "politics", "business", "science", "culture", "sport", "opinion", "health", "technology", "environment"]
STATUSES = ["draft", "in-review", "changes-requested", "approved", "scheduled", "published"]
AUTHORS = ["Ana Kovač", "Carl Brandt", "Edith Moreau", "Olga Petrenko", "Samir Haddad", "Lena Fischer", "Tomás Ruiz"]
TAGS = ["elections", "budget", "climate", "transport", "energy", "health", "courts", "trade", "football", "housing",
        "education", "migration", "tourism", "water", "farming", "ports", "railways", "art", "music", "startups"]
WORDS = ("the council minister said on thursday that talks would continue after officials from both sides met "
         "in the capital to discuss freight crossings budget cuts hospital staff rail links and a new plan for "
         "schools while critics warned that prices could rise again before the vote next month according to "
         "figures published by the statistics office residents near the harbour complained about noise and "
         "traffic as container volumes fell for a third quarter researchers found sediment layers recording "
         "microplastic pollution year by year").split()


def draft(rng: random.Random, i: int) -> tuple[str, str]:
    section = SECTIONS[i % len(SECTIONS)]
    title_words = rng.sample(WORDS, 7)
    title = " ".join(title_words).capitalize() + f" ({i})"
    slug = "-".join(title_words) + f"-{i}"
    tags = rng.sample(TAGS, rng.randint(1, 4))
    month, day = rng.randint(1, 12), rng.randint(1, 28)
    fm = [
        "---",
        f'title: "{title}"',
        f"categories: [{section.capitalize()}]",
        "tags: [" + ", ".join(tags) + "]",
        f"status: {rng.choice(STATUSES)}",
        f"author: {rng.choice(AUTHORS)}",
        f"publish_at: 2026-{month:02d}-{day:02d}T09:30:00Z",
        f"excerpt: {' '.join(rng.sample(WORDS, 18)).capitalize()}.",
        "---",
        "",
    ]
    paras = []
    for p in range(rng.randint(3, 12)):
        sentence_count = rng.randint(3, 7)
        sentences = [" ".join(rng.choices(WORDS, k=rng.randint(8, 18))).capitalize() + "." for _ in range(sentence_count)]
        paras.append(" ".join(sentences))
        if p == 1:
            paras.append(f"## {' '.join(rng.sample(WORDS, 4)).capitalize()}")
        if p == 2:
            paras.append("> " + " ".join(rng.choices(WORDS, k=14)).capitalize() + ".")
    return f"{section}/{slug}.md", "\n".join(fm) + "\n" + "\n\n".join(paras) + "\n"


def main() -> None:
    out = Path(sys.argv[1])
    n = int(sys.argv[2]) if len(sys.argv) > 2 else 10_000
    rng = random.Random(20261126)
    for i in range(n):
        rel, text = draft(rng, i)
        path = out / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    print(f"gen_drafts: {n} drafts in {out}")


if __name__ == "__main__":
    main()
