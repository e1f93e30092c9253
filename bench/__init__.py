"""`make bench` (`python -m bench`): throughput, latency, queries and page weight of the public pages.

See bench/__main__.py for what a run does; it writes bench/results.md.
"""
