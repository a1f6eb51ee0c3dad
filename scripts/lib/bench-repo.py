#!/usr/bin/env python3
"""Writes a git fast-import stream for a synthetic repository shaped like FluxOS's.

Deterministic: the same arguments give the same stream, byte for byte (fixed seed, fixed dates).
History: one line of commits on `development`; every so often a release is cut (`v<x.y.z>_pre`
on the commit that `preprod` then points at) and the one before it is promoted (`v<x.y.z>` on
the same commit, `master` moves there). At the end `preprod` is the newest release and `master`
the one before it; the commits between them touch exactly --diff-files files.

Usage: bench-repo.py --commits N --files N --blob-mb MB --diff-files N --releases N [--seed S]
"""
import argparse
import random
import sys

WORDS = ("node app flux zel benchmark daemon peer config service socket request response "
         "wallet block chain height hash status explorer sync cache timeout retry error "
         "message payload signature broadcast collateral tier storage volume mount port "
         "container image registry spawn monitor health uptime version update").split()
DIRS = ["ZelBack/src/services", "ZelBack/src/lib", "ZelBack/src/routes", "ZelBack/config",
        "ZelFront/src/views", "ZelFront/src/components", "ZelFront/src/services",
        "ZelFront/src/store", "ZelFront/public", "helpers", "tests/ZelBack", "tests/e2e",
        "docs", "scripts", "ZelBack/src/services/utils", "ZelFront/src/assets/css"]
EXTS = [".js", ".js", ".js", ".vue", ".json", ".md", ".sh", ".css"]


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--commits", type=int, required=True)
    p.add_argument("--files", type=int, required=True)
    p.add_argument("--blob-mb", type=float, required=True)
    p.add_argument("--diff-files", type=int, required=True)
    p.add_argument("--releases", type=int, required=True)
    p.add_argument("--seed", type=int, default=20261121)
    a = p.parse_args()
    rnd = random.Random(a.seed)
    out = sys.stdout.buffer

    def line():
        n = rnd.randint(4, 9)
        indent = "  " * rnd.randint(0, 3)
        w = [rnd.choice(WORDS) for _ in range(n)]
        kind = rnd.random()
        if kind < 0.3:
            return f"{indent}const {w[0]}{w[1].capitalize()} = {'.'.join(w[2:])}({rnd.randint(0, 9999)});"
        if kind < 0.5:
            return f"{indent}// {' '.join(w)}"
        if kind < 0.7:
            return f"{indent}if ({w[0]}.{w[1]} === '{w[2]}') {{ return {w[3]}; }}"
        return f"{indent}await {w[0]}.{w[1]}({', '.join(w[2:])});"

    # Every modification stores the whole file again, so the blob total is about
    # (initial files + modifications) x mean size; pick the mean size that gives --blob-mb.
    mods_per_commit = 1.6
    versions = a.files + a.commits * mods_per_commit
    mean_lines = max(4, int(a.blob_mb * 1e6 / versions / 60))

    paths = []
    seen = set()
    while len(paths) < a.files:
        d = rnd.choice(DIRS)
        name = f"{rnd.choice(WORDS)}{rnd.choice(WORDS).capitalize()}{rnd.choice(EXTS)}"
        path = f"{d}/{name}"
        if path not in seen:
            seen.add(path)
            paths.append(path)
    initial = int(a.files * 0.7)
    content = {}
    marks = [0]

    def mark():
        marks[0] += 1
        return marks[0]

    def blob(path):
        text = ("\n".join(content[path]) + "\n").encode()
        m = mark()
        out.write(b"blob\nmark :%d\ndata %d\n" % (m, len(text)))
        out.write(text)
        out.write(b"\n")
        return m

    def new_file(path):
        size = max(3, int(rnd.expovariate(1.0 / mean_lines)))
        content[path] = [line() for _ in range(size)]

    def edit(path):
        lines = content[path]
        for _ in range(rnd.randint(1, 4)):
            i = rnd.randrange(len(lines) + 1)
            r = rnd.random()
            if r < 0.5 and i < len(lines):
                lines[i] = line()
            elif r < 0.75 and i < len(lines) and len(lines) > 3:
                del lines[i]
            else:
                lines.insert(i, line())

    when = [1_500_000_000]

    def commit(ref, message, changed):
        blobs = [(path, blob(path)) for path in changed]
        m = mark()
        when[0] += rnd.randint(600, 40_000)
        msg = message.encode()
        out.write(b"commit %s\nmark :%d\n" % (ref.encode(), m))
        out.write(b"author Flux Developer <dev@flux.invalid> %d +0000\n" % when[0])
        out.write(b"committer Flux Developer <dev@flux.invalid> %d +0000\n" % when[0])
        out.write(b"data %d\n%s\n" % (len(msg), msg))
        for path, b in blobs:
            out.write(b"M 100644 :%d %s\n" % (b, path.encode()))
        out.write(b"\n")
        return m

    def tag(name, target, message):
        msg = message.encode()
        out.write(b"tag %s\nfrom :%d\n" % (name.encode(), target))
        out.write(b"tagger Flux Developer <dev@flux.invalid> %d +0000\n" % when[0])
        out.write(b"data %d\n%s\n" % (len(msg), msg))

    for path in paths[:initial]:
        new_file(path)
    head = commit("refs/heads/development", "initial import", paths[:initial])
    live = initial
    hot = paths[: max(20, a.files // 6)]

    # The last segment (master..preprod) touches exactly --diff-files files.
    segment = max(a.diff_files // 2, a.commits // (a.releases + 1))
    last_release_at = a.commits - 3
    master_at = last_release_at - segment
    release_every = max(1, master_at // (a.releases - 1))
    diff_set = rnd.sample(paths[:initial], a.diff_files)
    diff_cursor = 0
    releases = []  # (mark, version)
    version = [1, 0, 0]

    for n in range(2, a.commits + 1):
        if n > master_at and n <= last_release_at:
            remaining = last_release_at - n + 1
            left = a.diff_files - diff_cursor
            take = -(-left // remaining) if left else 0
            changed = diff_set[diff_cursor : diff_cursor + take]
            diff_cursor += take
            if not changed:
                changed = [diff_set[rnd.randrange(len(diff_set))]]
        else:
            changed = []
            if live < a.files and rnd.random() < (a.files - initial) / (a.commits * 0.9):
                path = paths[live]
                live += 1
                new_file(path)
                changed.append(path)
            k = 1 if rnd.random() < 0.6 else rnd.randint(2, 3)
            pool = hot if rnd.random() < 0.7 else paths[:live]
            for path in rnd.sample(pool, min(k, len(pool))):
                if path in content and path not in changed:
                    changed.append(path)
            if not changed:
                changed = [paths[0]]
        for path in changed:
            if path not in content:
                new_file(path)
            else:
                edit(path)
        head = commit("refs/heads/development", f"{rnd.choice(WORDS)}: {' '.join(rnd.choice(WORDS) for _ in range(6))}", changed)
        is_release = (n % release_every == 0 and n < master_at and len(releases) < a.releases - 2) \
            or n == master_at or n == last_release_at
        if is_release:
            if len(releases) % 10 == 9:
                version = [version[0] + 1, 0, 0]
            elif len(releases) % 3 == 2:
                version = [version[0], version[1] + 1, 0]
            else:
                version = [version[0], version[1], version[2] + 1]
            name = "v%d.%d.%d" % tuple(version)
            tag(name + "_pre", head, f"release {name} to preprod")
            if releases:
                prev_mark, prev_name = releases[-1]
                tag(prev_name, prev_mark, f"promote {prev_name} to stable")
            releases.append((head, name))
    # Files not yet created at the end still exist at the tip.
    rest = [p for p in paths if p not in content]
    for path in rest:
        new_file(path)
    if rest:
        commit("refs/heads/development", "add remaining files", rest)
    out.write(b"reset refs/heads/preprod\nfrom :%d\n\n" % releases[-1][0])
    out.write(b"reset refs/heads/master\nfrom :%d\n\n" % releases[-2][0])
    out.write(b"done\n")


if __name__ == "__main__":
    main()
