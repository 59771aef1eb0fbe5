-- score.network_harm: Σ members' own harm per network with the proven/alleged split, its type tags and
-- the reasons the tag rule gave. Unscored members (victims, witnesses, missing) add nothing.
CREATE OR REPLACE TABLE score.network_harm AS
SELECT $as_of::DATE AS as_of, mb.network_id, count(*) AS size,
       coalesce(sum(h.harm_cchi), 0) AS harm_cchi,
       coalesce(sum(h.harm_cchi_proven), 0) AS harm_cchi_proven,
       coalesce(sum(h.harm_cchi_alleged), 0) AS harm_cchi_alleged,
       coalesce(sum(h.harm_ons), 0) AS harm_ons,
       coalesce(sum(h.harm_ons_proven), 0) AS harm_ons_proven,
       coalesce(sum(h.harm_ons_alleged), 0) AS harm_ons_alleged,
       CASE WHEN any_value(t.types) IS NULL OR any_value(t.types) = '' THEN []::VARCHAR[]
            ELSE string_split(any_value(t.types), ',') END AS types,
       any_value(t.type_reasons) AS type_reasons,
       count(*) FILTER (WHERE h.scored) AS members_scored,
       count(*) FILTER (WHERE h.under_18) AS members_under_18,
       count(*) FILTER (WHERE h.in_custody) AS members_in_custody
FROM network_membership_input AS mb
LEFT JOIN score.nominal_harm AS h ON h.nominal_id = mb.nominal_id
LEFT JOIN score.network_type_staging AS t ON t.network_id = mb.network_id
GROUP BY mb.network_id
ORDER BY mb.network_id;
