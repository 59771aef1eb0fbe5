-- The listed rows of one change kind, most significant first: the largest harm movement (or harm,
-- for added/removed), then the largest rank movement, then id for a stable order.
SELECT id, harm_before, harm_after, harm_delta, rank_before, rank_after, rank_delta, changed_fields
FROM entity_diff
WHERE change = $change
ORDER BY abs(coalesce(harm_delta, harm_after, harm_before)) DESC NULLS LAST,
         abs(rank_delta) DESC NULLS LAST,
         id
LIMIT $limit;
