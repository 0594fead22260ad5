"""python -m orchestration run | rebuild | status"""
import sys

if __name__ == "__main__":
    if sys.argv[1:2] in (["run"], ["rebuild"]):
        # start the helper process (GX, spaCy, Altair imports) before this process imports Dagster
        from orchestration.sidecar import prewarm

        prewarm()
    from orchestration.cli import main

    raise SystemExit(main())
