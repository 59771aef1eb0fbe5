// The analyst questions docs/neo4j.md answers, as parameterised Cypher constants so the integration
// test runs exactly what the documentation shows.

/** A nominal's 2-hop network: every link within two hops, with its evidence class ($nominal_id). */
export const TWO_HOP_NETWORK = `MATCH p = (n:Nominal {nominal_id: $nominal_id})-[:ASSOCIATED_WITH*1..2]-(:Nominal)
UNWIND relationships(p) AS r
WITH DISTINCT r
RETURN startNode(r).nominal_id AS from_nominal, endNode(r).nominal_id AS to_nominal,
       r.link_types AS link_types, r.evidential_class AS evidential_class,
       r.intelligence_only AS intelligence_only, r.weight AS weight,
       r.first_seen AS first_seen, r.last_seen AS last_seen
ORDER BY from_nominal, to_nominal`;

/** Links that cross directly between two networks ($network_a, $network_b), strongest first. */
export const BRIDGES_BETWEEN_NETWORKS = `MATCH (x:Nominal)-[:MEMBER_OF]->(:Network {network_id: $network_a})
MATCH (x)-[r:ASSOCIATED_WITH]-(y:Nominal)-[:MEMBER_OF]->(:Network {network_id: $network_b})
RETURN x.nominal_id AS in_a, y.nominal_id AS in_b, r.link_types AS link_types,
       r.evidential_class AS evidential_class, r.intelligence_only AS intelligence_only, r.weight AS weight,
       x.betweenness AS betweenness_a, y.betweenness AS betweenness_b
ORDER BY weight DESC, in_a, in_b`;

/** Brokers: nominals with links into both networks (members of either, or of neither), by contacts. */
export const BROKERS_BETWEEN_NETWORKS = `MATCH (p:Nominal)-[ra:ASSOCIATED_WITH]-(x:Nominal)-[:MEMBER_OF]->(:Network {network_id: $network_a})
MATCH (p)-[rb:ASSOCIATED_WITH]-(y:Nominal)-[:MEMBER_OF]->(:Network {network_id: $network_b})
WITH p, collect(DISTINCT x.nominal_id) AS contacts_in_a, collect(DISTINCT y.nominal_id) AS contacts_in_b,
     collect(DISTINCT ra.evidential_class) + collect(DISTINCT rb.evidential_class) AS evidence
RETURN p.nominal_id AS broker, p.network_id AS own_network, p.harm_band AS harm_band,
       p.betweenness AS betweenness, contacts_in_a, contacts_in_b, evidence
ORDER BY size(contacts_in_a) + size(contacts_in_b) DESC, broker`;
