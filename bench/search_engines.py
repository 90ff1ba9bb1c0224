"""The proposal search as it is (LIKE over the folded column) against SQLite FTS5 with trigrams.

    sqlite3 /tmp/giaoban-bench/bench-s1-seed1.sqlite3 ".backup /tmp/search.sqlite3"
    .venv/bin/python bench/search_engines.py /tmp/search.sqlite3

It builds an FTS5 table (`tokenize='trigram'`, external content: the index only) over
`proposals.search_folded` in the copy it is given, prints how long that took and how much
the file grew, then times the list's search shapes both ways, SQLite alone (no app, no ORM):
the first page of matches (25, newest first), and the bounded total the list shows (counted
to 1,000). FTS5's trigram index answers `LIKE '%word%'` itself for words of three letters or
more (SQLite ≥ 3.34); shorter words fall back to reading every row either way, and on SQLite
3.40.1 (Debian 12) a query with one crashed the process, so such queries are skipped. PostgreSQL's
pg_trgm GIN index is the counterpart there; it was not measured (see docs/performance.md).
"""

from __future__ import annotations

import sqlite3
import statistics
import sys
import time
from pathlib import Path

QUERIES = ["xuong cap", "truong hoc", "kinh phi sua chua", "nuoc sach", "tru so lam viec", "cau"]
PAGE = 25
CAP = 1000


def timed(connection, sql: str, params, repeat: int = 5) -> tuple[float, object]:
    times, result = [], None
    for _ in range(repeat):
        started = time.perf_counter()
        result = connection.execute(sql, params).fetchall()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times), result


def like_where(words: list[str], column: str) -> tuple[str, list[str]]:
    return " AND ".join(f"{column} LIKE ?" for _ in words), [f"%{w}%" for w in words]


def main() -> None:
    path = Path(sys.argv[1])
    connection = sqlite3.connect(path)
    print(f"SQLite {sqlite3.sqlite_version}, {connection.execute('SELECT count(*) FROM proposals').fetchone()[0]:,} "
          "proposals")
    size = path.stat().st_size
    started = time.perf_counter()
    connection.executescript("""
        DROP TABLE IF EXISTS proposals_trigram;
        CREATE VIRTUAL TABLE proposals_trigram USING fts5(
            search_folded, content='proposals', content_rowid='id', tokenize='trigram');
        INSERT INTO proposals_trigram(proposals_trigram) VALUES ('rebuild');
    """)
    connection.commit()
    print(f"FTS5 trigram index built in {time.perf_counter() - started:.1f} s, "
          f"file {size / 2**20:.0f} → {path.stat().st_size / 2**20:.0f} MiB\n")
    print(f"{'search':<22} {'matches':>8} {'LIKE page':>10} {'FTS5 page':>10} {'LIKE count':>11} {'FTS5 count':>11}")
    for q in QUERIES:
        words = q.split()
        where, params = like_where(words, "search_folded")
        like_page, rows = timed(connection, f"SELECT id FROM proposals WHERE {where} "
                                            f"ORDER BY sent_at DESC, id DESC LIMIT {PAGE}", params)
        like_count, count = timed(connection, f"SELECT count(*) FROM (SELECT 1 FROM proposals WHERE {where} "
                                              f"LIMIT {CAP})", params)
        if min(len(w) for w in words) < 3:
            # A word under three letters in the trigram table's LIKE: SQLite 3.40.1 crashed the
            # whole process (segmentation fault) on "tru so lam viec". Not run here.
            print(f"{q:<22} {count[0][0]:>8} {like_page:>8.1f}ms {'(skipped)':>10} {like_count:>9.1f}ms")
            continue
        fts_where, fts_params = like_where(words, "proposals_trigram.search_folded")
        fts_page, fts_rows = timed(connection, (
            f"SELECT p.id FROM proposals p WHERE p.id IN (SELECT rowid FROM proposals_trigram WHERE {fts_where}) "
            f"ORDER BY p.sent_at DESC, p.id DESC LIMIT {PAGE}"), fts_params)
        fts_count, fts_total = timed(connection, (
            f"SELECT count(*) FROM (SELECT 1 FROM proposals_trigram WHERE {fts_where} LIMIT {CAP})"), fts_params)
        assert rows == fts_rows and count == fts_total, q  # the same answers
        print(f"{q:<22} {count[0][0]:>8} {like_page:>8.1f}ms {fts_page:>8.1f}ms {like_count:>9.1f}ms {fts_count:>9.1f}ms")
    connection.execute("DROP TABLE proposals_trigram")
    connection.commit()


if __name__ == "__main__":
    main()
