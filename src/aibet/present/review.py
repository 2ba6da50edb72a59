"""schema.org ClaimReview records for the claims on a chapter page (structured verdicts)."""

from __future__ import annotations

import json

from aibet import ARTICLE_HEADLINE, ARTICLE_PUBLISHER, PROJECT, PUBLICATION_DATE

REQUIRED = ("claimReviewed", "itemReviewed", "reviewRating", "author", "datePublished", "url")


def claim_review(record: dict, page_url: str, reviewed_on: str) -> dict:
    """One claim's review: the claim, where it appeared, the latest verdict and its reason."""
    return {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "claimReviewed": record["claim"],
        "itemReviewed": {
            "@type": "Claim",
            "appearance": {
                "@type": "CreativeWork",
                "headline": ARTICLE_HEADLINE,
                "datePublished": PUBLICATION_DATE,
                "publisher": {"@type": "Organization", "name": ARTICLE_PUBLISHER},
            },
        },
        "reviewRating": {
            "@type": "Rating",
            "alternateName": record["verdict_latest"],
            "ratingExplanation": record["reason"],
        },
        "author": {"@type": "Organization", "name": PROJECT},
        "datePublished": reviewed_on,
        "url": f"{page_url}#{record['id'].lower()}",
    }


def json_ld(records: list[dict], page_url: str, reviewed_on: str) -> str:
    """A <script> block of the page's ClaimReviews ('' when the page reviews no claim)."""
    if not records:
        return ""
    reviews = [claim_review(r, page_url, reviewed_on) for r in records]
    text = json.dumps(reviews, ensure_ascii=False, indent=1).replace("</", "<\\/")
    return f'<script type="application/ld+json">{text}</script>\n'
