"""import_wxr on a generated WordPress export: seconds and peak memory for N comments.

A WXR 1.2 file is written in WordPress 6's layout: posts of `--per-post` comments each (a third
of them replies, some to a parent later in the file), plus one big post of `--big` comments,
to reach `--comments` in all. It is imported by `broadsheet import_wxr` in a child process into
a fresh SQLite DATA_DIR; the child's wall time and peak RSS (resource.getrusage RUSAGE_CHILDREN)
are reported. Target: 100,000 comments in under 2 minutes and 300 MB.

    python -m bench.wxr_import                            # 10,000 comments (40 x 200 + 2,000)
    python -m bench.wxr_import --comments 100000 --per-post 500 --big 20000
    BENCH_WXR_COMMENTS=2000 python -m bench wxr_import

Figures: bench/results/wxr_import.json (one entry per size, newest run replacing the same size).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.common import RESULTS, ROOT, machine, markdown_table, write_results

DEFAULT_COMMENTS = int(os.environ.get("BENCH_WXR_COMMENTS", "10000"))
_WORDS = (
    "the harbour board ferry council vote tide morning readers agree disagree surely "
    "figures budget bridge timetable fares winter crossing weather pier lights"
).split()

HEAD = """<?xml version="1.0" encoding="UTF-8" ?>
<!-- generator="WordPress/6.5.3" created="2024-05-20 10:00" -->
<rss version="2.0"
\txmlns:excerpt="http://wordpress.org/export/1.2/excerpt/"
\txmlns:content="http://purl.org/rss/1.0/modules/content/"
\txmlns:wfw="http://wellformedweb.org/CommentAPI/"
\txmlns:dc="http://purl.org/dc/elements/1.1/"
\txmlns:wp="http://wordpress.org/export/1.2/"
>
<channel>
\t<title>Bench Gazette</title>
\t<link>https://bench.example.org</link>
\t<wp:wxr_version>1.2</wp:wxr_version>
\t<wp:base_site_url>https://bench.example.org</wp:base_site_url>
\t<wp:base_blog_url>https://bench.example.org</wp:base_blog_url>
\t<wp:author><wp:author_id>1</wp:author_id><wp:author_login><![CDATA[editor]]></wp:author_login>
\t\t<wp:author_display_name><![CDATA[The Editor]]></wp:author_display_name></wp:author>
"""


def _words(rng: random.Random, low: int, high: int) -> str:
    return " ".join(rng.choice(_WORDS) for _ in range(rng.randint(low, high))).capitalize()


def _comment(rng: random.Random, cid: int, parent: int, minute: int) -> str:
    when = f"2024-05-{1 + minute // 1440 % 28:02d} {minute // 60 % 24:02d}:{minute % 60:02d}:00"
    return (
        f"\t\t<wp:comment>\n\t\t\t<wp:comment_id>{cid}</wp:comment_id>\n"
        f"\t\t\t<wp:comment_author><![CDATA[Reader {cid % 997}]]></wp:comment_author>\n"
        f"\t\t\t<wp:comment_author_email><![CDATA[reader{cid % 997}@example.net]]>"
        "</wp:comment_author_email>\n"
        f"\t\t\t<wp:comment_author_url></wp:comment_author_url>\n"
        f"\t\t\t<wp:comment_author_IP><![CDATA[203.0.113.7]]></wp:comment_author_IP>\n"
        f"\t\t\t<wp:comment_date><![CDATA[{when}]]></wp:comment_date>\n"
        f"\t\t\t<wp:comment_date_gmt><![CDATA[{when}]]></wp:comment_date_gmt>\n"
        f"\t\t\t<wp:comment_content><![CDATA[{_words(rng, 8, 40)}.]]></wp:comment_content>\n"
        f"\t\t\t<wp:comment_approved><![CDATA[1]]></wp:comment_approved>\n"
        f"\t\t\t<wp:comment_type><![CDATA[comment]]></wp:comment_type>\n"
        f"\t\t\t<wp:comment_parent>{parent}</wp:comment_parent>\n"
        f"\t\t\t<wp:comment_user_id>0</wp:comment_user_id>\n\t\t</wp:comment>\n"
    )


def generate(path: Path, *, comments: int, per_post: int, big: int, seed: int = 9) -> dict:
    """Write the export; return how many posts and comments it holds."""
    rng = random.Random(seed)
    sizes = [big] if big and comments >= big else []
    rest = comments - sum(sizes)
    while rest > 0:
        sizes.append(min(per_post, rest))
        rest -= sizes[-1]
    cid = 0
    with path.open("w", encoding="utf-8") as out:
        out.write(HEAD)
        for post_id, size in enumerate(sizes, 1):
            title = f"Story {post_id}: {_words(rng, 3, 7)}"
            out.write(
                f"\t<item>\n\t\t<title><![CDATA[{title}]]></title>\n"
                f"\t\t<link>https://bench.example.org/2024/05/01/story-{post_id}/</link>\n"
                "\t\t<dc:creator><![CDATA[editor]]></dc:creator>\n"
                f"\t\t<content:encoded><![CDATA[{_words(rng, 40, 80)}.\n\n{_words(rng, 40, 80)}.]]>"
                "</content:encoded>\n\t\t<excerpt:encoded><![CDATA[]]></excerpt:encoded>\n"
                f"\t\t<wp:post_id>{post_id}</wp:post_id>\n"
                "\t\t<wp:post_date><![CDATA[2024-05-01 09:00:00]]></wp:post_date>\n"
                "\t\t<wp:post_date_gmt><![CDATA[2024-05-01 09:00:00]]></wp:post_date_gmt>\n"
                f"\t\t<wp:post_name><![CDATA[story-{post_id}]]></wp:post_name>\n"
                "\t\t<wp:status><![CDATA[publish]]></wp:status>\n"
                "\t\t<wp:post_type><![CDATA[post]]></wp:post_type>\n"
                '\t\t<category domain="category" nicename="news"><![CDATA[News]]></category>\n'
            )
            first = cid + 1
            for n in range(size):
                cid += 1
                parent = 0
                if n and rng.random() < 0.35:
                    parent = rng.randrange(max(first, cid - 30), cid)
                elif n > 2 and rng.random() < 0.02:
                    parent = cid + 1  # a parent that comes after its reply
                out.write(_comment(rng, cid, parent, n))
            out.write("\t</item>\n")
        out.write("</channel>\n</rss>\n")
    return {"posts": len(sizes), "comments": cid}


def run(*, comments: int, per_post: int, big: int) -> dict:
    """Generate, import in a child process, and measure it."""
    work = Path(tempfile.mkdtemp(prefix="broadsheet-wxr-bench-"))
    try:
        export = work / "export.xml"
        shape = generate(export, comments=comments, per_post=per_post, big=big)
        env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}}
        env.update(
            {
                "DATA_DIR": str(work / "data"),
                "DJANGO_SETTINGS_MODULE": "broadsheet.config.settings",
                "LOG_LEVEL": "WARNING",
            }
        )
        manage = [sys.executable, "-m", "django"]
        subprocess.run([*manage, "migrate", "-v0"], env=env, cwd=ROOT, check=True)
        before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        started = time.perf_counter()
        done = subprocess.run(
            [*manage, "import_wxr", str(export)],
            env=env,
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=False,
        )
        seconds = time.perf_counter() - started
        peak_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        if done.returncode:
            raise SystemExit(f"import_wxr failed:\n{done.stdout}\n{done.stderr}")
        return {
            **shape,
            "file_mb": round(export.stat().st_size / 1e6, 1),
            "seconds": round(seconds, 1),
            "comments_per_second": round(shape["comments"] / seconds),
            # ru_maxrss is the largest child so far: the import is the biggest one run here.
            "peak_rss_mb": round(max(peak_kb, before) / 1024, 1),
            "summary": done.stdout.strip().splitlines(),
        }
    finally:
        shutil.rmtree(work, ignore_errors=True)


def main(argv: list[str] | None = None) -> dict:
    """Run the benchmark, write bench/results/wxr_import.json and print a table."""
    parser = argparse.ArgumentParser(prog="python -m bench.wxr_import", description=__doc__)
    parser.add_argument("--comments", type=int, default=DEFAULT_COMMENTS)
    parser.add_argument("--per-post", type=int, default=200)
    parser.add_argument("--big", type=int, default=0, help="comments on the one big post")
    args = parser.parse_args(argv or [])
    big = args.big or max(1, args.comments // 5)
    result = run(comments=args.comments, per_post=args.per_post, big=big)
    path = RESULTS / "wxr_import.json"
    previous = json.loads(path.read_text()) if path.exists() else {}
    runs = {str(r["comments"]): r for r in previous.get("runs", [])}
    runs[str(result["comments"])] = {**result, "per_post": args.per_post, "big": big}
    data = {
        "machine": machine(),
        "target": "100,000 comments in under 120 s and 300 MB",
        "runs": sorted(runs.values(), key=lambda r: r["comments"]),
    }
    write_results("wxr_import", data)
    print(
        markdown_table(
            ["comments", "posts", "file MB", "seconds", "comments/s", "peak RSS MB"],
            [
                [
                    f"{r['comments']:,}",
                    r["posts"],
                    r["file_mb"],
                    r["seconds"],
                    r["comments_per_second"],
                    r["peak_rss_mb"],
                ]
                for r in data["runs"]
            ],
        )
    )
    return data


if __name__ == "__main__":
    main(sys.argv[1:])
