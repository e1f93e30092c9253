"""Matchmaking: booths and products suggested to buyers, and buyers suggested to exhibitors, each with the
reasons it was suggested (docs/matchmaking.md)."""
