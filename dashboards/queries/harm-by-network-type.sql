-- Sum of network harm per network type tag (a network with several tags counts under each).
WITH tagged AS (
  SELECT unnest(string_split(coalesce(nullif(types, ''), 'UNTYPED'), ',')) AS network_type, harm_cchi
  FROM networks
)
SELECT trim(network_type) AS network_type, round(sum(harm_cchi), 1) AS harm_cchi
FROM tagged GROUP BY 1 ORDER BY 1
