"""Sync through git: `newsroom sync` and `newsroom sync clone` next to plain git doing the
same in the same run (the engine's floor), on a folder of 10,000 generated drafts behind a
local bare remote (file://, so both go through git's transport, not a local hard-link
copy).

Measured, alternating newsroom and git in every round:

- **one-draft sync**: the other side pushed one change (a different draft, or the same
  draft in another paragraph: `--same-draft`), this side changed one draft; `newsroom
  sync` (commit, fetch, merge, push) against `git add --all && git commit && git fetch &&
  git merge && git push`;
- **first clone**: `newsroom sync clone URL DIR` against `git clone URL DIR`.

usage: bench.py NEWSROOM_BIN [--drafts 10000] [--runs 7] [--clones 5] [--work DIR]
Prints a Markdown table of medians and ratios, and writes results.json in the work folder.
"""

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
GEN = HERE.parent / "bench-app" / "gen_drafts.py"


def env_for(home: Path, name: str) -> dict:
    env = dict(os.environ)
    env.update(
        HOME=str(home),
        GIT_CONFIG_GLOBAL=str(home / "gitconfig"),
        GIT_CONFIG_NOSYSTEM="1",
        NEWSROOM_DATA_DIR=str(home / "data"),
        NEWSROOM_CONFIG_DIR=str(home / "config"),
        NEWSROOM_USER=name,
        NEWSROOM_EMAIL=f"{name.lower()}@desk.example",
        LC_ALL="C",
    )
    for k in ("NEWSROOM_AUTHOR", "NEWSROOM_ROLE", "NEWSROOM_DRAFTS"):
        env.pop(k, None)
    return env


def run(cmd, cwd=None, env=None):
    out = subprocess.run(cmd, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    if out.returncode != 0:
        sys.exit(f"bench-sync: {' '.join(map(str, cmd))} failed ({out.returncode}):\n{out.stderr}{out.stdout}")
    return out.stdout


def timed(steps, cwd, env) -> float:
    # Earlier writes (a checkout, a removed clone) flushed first, so that neither side
    # pays for the other's writeback.
    os.sync()
    started = time.perf_counter()
    for cmd in steps:
        run(cmd, cwd=cwd, env=env)
    return time.perf_counter() - started


def edit(path: Path, paragraph: int, mark: str):
    """Changes one paragraph of a draft's body (the `paragraph`-th after the front matter)."""
    text = path.read_text()
    head, sep, body = text.partition("\n---\n")
    paras = body.split("\n\n")
    idx = min(paragraph, len(paras) - 1)
    paras[idx] = paras[idx].rstrip("\n") + f" {mark}" + ("\n" if paras[idx].endswith("\n") else "")
    path.write_text(head + sep + "\n\n".join(paras))


def drafts_of(folder: Path) -> list:
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*.md") if ".git" not in p.parts)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("newsroom")
    ap.add_argument("--drafts", type=int, default=10_000)
    ap.add_argument("--runs", type=int, default=7)
    ap.add_argument("--clones", type=int, default=5)
    ap.add_argument("--same-draft", action="store_true", help="both sides change the same draft (the merge driver runs)")
    ap.add_argument("--work", default=None)
    a = ap.parse_args()
    newsroom = str(Path(a.newsroom).resolve())
    work = Path(a.work or (HERE.parents[1] / "target" / "bench-sync")).resolve()
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    home = work / "home"
    home.mkdir()
    (home / "gitconfig").write_text("[user]\n\tname = Other\n\temail = other@desk.example\n[init]\n\tdefaultBranch = main\n")
    env = env_for(home, "Edith")
    git = ["git"]

    # The remote: 10,000 drafts (and the .gitignore a first sync writes) in one commit.
    seed = work / "seed"
    run([sys.executable, str(GEN), str(seed), str(a.drafts)])
    (seed / ".gitignore").write_text(
        "# Kept by Newsroom: the app's hidden files stay out of git (presence locks, temp files).\n.*.lock\n.newsroom-tmp-*\n"
    )
    bare = work / "remote.git"
    run(git + ["init", "--quiet", "--bare", "--initial-branch=main", str(bare)], env=env)
    run(git + ["init", "--quiet", "--initial-branch=main"], cwd=seed, env=env)
    run(git + ["add", "--all"], cwd=seed, env=env)
    run(git + ["commit", "--quiet", "-m", f"{a.drafts} drafts"], cwd=seed, env=env)
    run(git + ["push", "--quiet", str(bare), "main"], cwd=seed, env=env)
    url = bare.as_uri()
    drafts = drafts_of(seed)
    print(f"bench-sync: {len(drafts)} drafts, {sum((seed / d).stat().st_size for d in drafts) // 1024} KiB, remote {url}", file=sys.stderr)

    # First clone: each into a fresh folder, the two taking turns to go first.
    clone_ours, clone_git = [], []
    for i in range(a.clones):
        def ours_clone():
            dest = work / f"clone-ours-{i}"
            clone_ours.append(timed([[newsroom, "sync", "clone", url, str(dest)]], work, env))

        def git_clone():
            dest = work / f"clone-git-{i}"
            clone_git.append(timed([git + ["clone", "--quiet", url, str(dest)]], work, env))

        for step in (ours_clone, git_clone) if i % 2 == 0 else (git_clone, ours_clone):
            step()
        for side in ("ours", "git"):
            if i > 0:
                shutil.rmtree(work / f"clone-{side}-{i}")

    # The three working copies: ours (newsroom sync), plain (git), other (the colleague).
    ours, plain, other = work / "clone-ours-0", work / "clone-git-0", work / "other"
    run(git + ["clone", "--quiet", url, str(other)], env=env)
    # Warm up: a first sync writes the attributes; git's index is refreshed once.
    run([newsroom, "sync", "--dir", str(ours)], env=env)
    run(git + ["status", "--porcelain"], cwd=plain, env=env)

    def colleague_pushes(rel: str, i: int) -> str:
        run(git + ["pull", "--quiet", "--no-rebase", "--no-edit"], cwd=other, env=env)
        edit(other / rel, 3, f"(colleague's edit {i})")
        run(git + ["commit", "--quiet", "-am", f"colleague {i}"], cwd=other, env=env)
        run(git + ["push", "--quiet"], cwd=other, env=env)
        return run(git + ["rev-parse", "HEAD"], cwd=other, env=env).strip()

    def check_synced(folder: Path, theirs_commit: str, mine: str, i: int):
        """The colleague's commit merged, this side's edit pushed: the remote is HEAD."""
        head = run(git + ["rev-parse", "HEAD"], cwd=folder, env=env).strip()
        remote = run(git + ["ls-remote", url, "refs/heads/main"], env=env).split()[0]
        assert head == remote, f"{folder.name}: HEAD {head} is not the remote's {remote}"
        run(git + ["merge-base", "--is-ancestor", theirs_commit, head], cwd=folder, env=env)
        assert f"(my edit {i})" in (folder / mine).read_text()
        assert run(git + ["status", "--porcelain"], cwd=folder, env=env) == "", folder.name

    sync_ours, sync_git = [], []
    for i in range(a.runs):
        # Different drafts each round, spread over the folder.
        theirs = drafts[(i * 997) % len(drafts)]
        mine = theirs if a.same_draft else drafts[(i * 997 + 5003) % len(drafts)]
        theirs_commit = colleague_pushes(theirs, 2 * i)
        edit(ours / mine, 1, f"(my edit {i})")
        sync_ours.append(timed([[newsroom, "sync", "--dir", str(ours)]], ours, env))
        check_synced(ours, theirs_commit, mine, i)
        theirs_commit = colleague_pushes(theirs, 2 * i + 1)
        edit(plain / mine, 1, f"(my edit {i})")
        sync_git.append(
            timed(
                [
                    git + ["add", "--all"],
                    git + ["commit", "--quiet", "-m", f"one draft {i}"],
                    git + ["fetch", "--quiet", "origin"],
                    git + ["merge", "--quiet", "--no-edit", "origin/main"],
                    git + ["push", "--quiet", "origin", "HEAD:main"],
                ],
                plain,
                env,
            )
        )
        check_synced(plain, theirs_commit, mine, i)

    med = statistics.median
    rows = [
        ("one-draft sync (commit, fetch, merge, push)", med(sync_ours), med(sync_git), a.runs),
        (f"first clone of {len(drafts)} drafts", med(clone_ours), med(clone_git), a.clones),
    ]
    results = {
        "drafts": len(drafts),
        "same_draft": a.same_draft,
        "git": run(git + ["--version"]).strip(),
        "sync_ours_s": sync_ours,
        "sync_git_s": sync_git,
        "clone_ours_s": clone_ours,
        "clone_git_s": clone_git,
    }
    (work / "results.json").write_text(json.dumps(results, indent=2))
    print("| step | newsroom | plain git | ratio | runs |")
    print("| --- | --- | --- | --- | --- |")
    for what, ours_s, git_s, n in rows:
        print(f"| {what} | {ours_s * 1000:.0f} ms | {git_s * 1000:.0f} ms | {ours_s / git_s:.2f}× | {n} |")


if __name__ == "__main__":
    main()
