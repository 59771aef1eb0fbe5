-- The in-memory matcher's load (match-index.ts): every string of the snapshot's comparison columns
-- as a code (in sort order), each identity row as codes, and each nominal's answer (hn_nominal).

CREATE OR REPLACE TEMP TABLE hn_mem_dict AS
SELECT v, CAST(row_number() OVER (ORDER BY v) - 1 AS INTEGER) AS code
FROM (
  SELECT DISTINCT v FROM (
    SELECT unnest([sn_full, sn_phon, sn_words, sn_first, sn_last, fn_first, fn_phon, fn_all, fn_words, fn_key, sex, pnc]) AS v
    FROM hn_snap_feature
  ) WHERE v IS NOT NULL
);

CREATE OR REPLACE TEMP TABLE hn_mem_nominal AS
SELECT CAST(row_number() OVER (ORDER BY d.nominal_id) - 1 AS INTEGER) AS code, d.nominal_id,
       n.nominal_id IS NOT NULL AS held, n.network_id IS NOT NULL AS in_network,
       n.harm_cchi, n.harm_cchi_proven, n.harm_cchi_alleged, n.harm_band,
       coalesce(n.safeguarding_only, false) AS safeguarding_only, coalesce(n.harm_conditioned, false) AS harm_conditioned
FROM (SELECT DISTINCT nominal_id FROM hn_snap_feature WHERE nominal_id IS NOT NULL) d
LEFT JOIN hn_nominal n USING (nominal_id);

CREATE OR REPLACE TEMP TABLE hn_mem_identity AS
SELECT
  f.cr_id, CAST(f.iid AS INTEGER) AS iid, nm.code AS nominal,
  d1.code AS sn_full, d2.code AS sn_phon, d3.code AS sn_words, coalesce(f.sn_multi, false) AS sn_multi, d4.code AS sn_first, d5.code AS sn_last,
  d6.code AS fn_first, d7.code AS fn_phon, d8.code AS fn_all, d9.code AS fn_words, CAST(coalesce(f.fn_n, 0) AS INTEGER) AS fn_n, d10.code AS fn_key,
  CAST(year(f.dob) * 10000 + month(f.dob) * 100 + day(f.dob) AS INTEGER) AS dob, d11.code AS sex, d12.code AS pnc
FROM hn_snap_feature f
LEFT JOIN hn_mem_nominal nm ON nm.nominal_id = f.nominal_id
LEFT JOIN hn_mem_dict d1 ON d1.v = f.sn_full
LEFT JOIN hn_mem_dict d2 ON d2.v = f.sn_phon
LEFT JOIN hn_mem_dict d3 ON d3.v = f.sn_words
LEFT JOIN hn_mem_dict d4 ON d4.v = f.sn_first
LEFT JOIN hn_mem_dict d5 ON d5.v = f.sn_last
LEFT JOIN hn_mem_dict d6 ON d6.v = f.fn_first
LEFT JOIN hn_mem_dict d7 ON d7.v = f.fn_phon
LEFT JOIN hn_mem_dict d8 ON d8.v = f.fn_all
LEFT JOIN hn_mem_dict d9 ON d9.v = f.fn_words
LEFT JOIN hn_mem_dict d10 ON d10.v = f.fn_key
LEFT JOIN hn_mem_dict d11 ON d11.v = f.sex
LEFT JOIN hn_mem_dict d12 ON d12.v = f.pnc;
