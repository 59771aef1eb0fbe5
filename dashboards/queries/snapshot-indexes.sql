-- Per-network edge and evidence rows, built once when a snapshot is opened into memory, so the network page
-- reads one network's links by an ART-indexed key instead of joining the whole edge table per request.
CREATE TABLE network_edges AS
  SELECT a.network_id, e.*
    FROM edges e
    JOIN nominals a ON a.nominal_id = e.nominal_a
    JOIN nominals b ON b.nominal_id = e.nominal_b AND b.network_id = a.network_id
   WHERE a.network_id IS NOT NULL
   ORDER BY a.network_id, e.nominal_a, e.nominal_b;
CREATE INDEX network_edges_network ON network_edges (network_id);

CREATE TABLE network_evidence AS
  SELECT a.network_id, v.*
    FROM edge_evidence v
    JOIN nominals a ON a.nominal_id = v.nominal_a
    JOIN nominals b ON b.nominal_id = v.nominal_b AND b.network_id = a.network_id
   WHERE a.network_id IS NOT NULL
   ORDER BY a.network_id, v.record_date DESC, v.record_ref;
CREATE INDEX network_evidence_network ON network_evidence (network_id);
