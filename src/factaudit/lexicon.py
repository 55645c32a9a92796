"""Word lists shared across stages: one home for each (a stage imports them, never copies them)."""

from __future__ import annotations

__all__ = ["STOP_WORDS"]

#: English function words: left out of retrieval queries and of content-word overlap.
STOP_WORDS: frozenset[str] = frozenset(
    [
    "a", "about", "above", "after", "again", "against", "all", "also", "am", "an", "and", "any", "are",
    "as", "at", "be", "because", "been", "before", "being", "below", "between", "both", "but", "by", "can",
    "could", "did", "do", "does", "doing", "down", "during", "each", "few", "for", "from", "further",
    "had", "has", "have", "having", "he", "her", "here", "him", "his", "how", "i", "if", "in", "into",
    "is", "it", "it's", "its", "just", "many", "may", "me", "might", "more", "most", "much", "must", "my",
    "no", "nor", "not", "of", "off", "on", "once", "only", "onto", "or", "other", "our", "out", "over",
    "own", "per", "s", "same", "shall", "she", "should", "so", "some", "such", "t", "than", "that", "the",
    "their", "them", "then", "there", "these", "they", "this", "those", "through", "to", "too", "under",
    "until", "up", "very", "via", "was", "we", "were", "what", "when", "where", "which", "while", "who",
    "whom", "whose", "why", "will", "with", "without", "would", "yes", "yet", "you", "your",
    ]
)
