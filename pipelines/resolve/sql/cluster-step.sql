-- One round of connected components by minimum-label propagation with pointer jumping (the SQL
-- method Splink uses; cf. Shiloach & Vishkin 1982): each node takes the least label among itself and
-- its neighbours, then the label of its label.

CREATE OR REPLACE TEMP TABLE hn_label_step AS
SELECT l.iid, least(l.label, coalesce(min(n.label), l.label)) AS label
FROM hn_label l
LEFT JOIN hn_adj a ON a.x = l.iid
LEFT JOIN hn_label n ON n.iid = a.y
GROUP BY l.iid, l.label;

CREATE OR REPLACE TEMP TABLE hn_label_next AS
SELECT s.iid, least(s.label, p.label) AS label
FROM hn_label_step s JOIN hn_label_step p ON p.iid = s.label;
