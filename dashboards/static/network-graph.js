// Draws a network with sigma.js (WebGL) from the page's JSON endpoint: nodes sized by recorded harm and
// coloured by band; intelligence-only links drawn dashed on an overlay canvas and labelled as such.
'use strict';
(function () {
  var BAND_COLOURS = { A: '#b2182b', B: '#e66101', C: '#c7a100', D: '#4d7cae' };
  var UNRANKED = '#9a9a9a';
  var EDGE = '#6b6b6b';
  var INTEL = '#e08a00';

  function start() {
    var container = document.getElementById('network-graph');
    if (!container) return;
    if (!window.graphology || !window.Sigma) {
      container.setAttribute('data-error', 'graph libraries did not load');
      return;
    }
    // same mode and credentials as the page's <link rel="preload" as="fetch" crossorigin="anonymous">, so the preloaded response is used
    fetch(container.getAttribute('data-src'), { mode: 'cors', credentials: 'same-origin' })
      .then(function (r) {
        if (!r.ok) throw new Error('graph data: HTTP ' + r.status);
        return r.json();
      })
      .then(function (data) { draw(container, data); })
      .catch(function (e) {
        container.setAttribute('data-error', String(e && e.message ? e.message : e));
        container.textContent = 'The graph could not be drawn: ' + (e && e.message ? e.message : e);
      });
  }

  function draw(container, data) {
    var started = performance.now();
    var graph = new window.graphology.Graph({ type: 'undirected', multi: false });
    data.nodes.forEach(function (n) {
      graph.addNode(n.id, {
        x: n.x, y: n.y, size: n.size, label: n.label + (n.under_18 ? ' (under 18)' : '') + (n.in_custody ? ' (in custody)' : ''),
        color: n.unranked ? UNRANKED : (BAND_COLOURS[n.band] || UNRANKED),
      });
    });
    var intel = [];
    data.edges.forEach(function (e) {
      if (!graph.hasNode(e.source) || !graph.hasNode(e.target) || graph.hasEdge(e.source, e.target)) return;
      graph.addEdge(e.source, e.target, { size: 1.5, color: e.intelligence_only ? INTEL : EDGE, hidden: !!e.intelligence_only, label: e.label });
      if (e.intelligence_only) intel.push([e.source, e.target]);
    });
    var renderer = new window.Sigma(graph, container, { renderEdgeLabels: false, labelRenderedSizeThreshold: graph.order <= 60 ? 0 : 6, minCameraRatio: 0.05, maxCameraRatio: 10 });
    var overlay = renderer.createCanvas('intel-edges', { afterLayer: 'edges' });
    var ctx = overlay.getContext('2d');
    function drawIntel() {
      var dpr = window.devicePixelRatio || 1;
      var w = container.offsetWidth, h = container.offsetHeight;
      if (overlay.width !== Math.round(w * dpr) || overlay.height !== Math.round(h * dpr)) {
        overlay.width = Math.round(w * dpr);
        overlay.height = Math.round(h * dpr);
      }
      ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
      ctx.clearRect(0, 0, w, h);
      ctx.strokeStyle = INTEL;
      ctx.lineWidth = 1.5;
      ctx.setLineDash([6, 4]);
      ctx.fillStyle = '#8a5300';
      ctx.font = '11px sans-serif';
      ctx.textAlign = 'center';
      intel.forEach(function (pair) {
        var a = renderer.graphToViewport(graph.getNodeAttributes(pair[0]));
        var b = renderer.graphToViewport(graph.getNodeAttributes(pair[1]));
        ctx.beginPath();
        ctx.moveTo(a.x, a.y);
        ctx.lineTo(b.x, b.y);
        ctx.stroke();
        if (intel.length <= 60) ctx.fillText(data.intelligence_label, (a.x + b.x) / 2, (a.y + b.y) / 2 - 3);
      });
    }
    renderer.on('afterRender', drawIntel);
    renderer.on('clickNode', function (ev) {
      window.location.href = container.getAttribute('data-nominal-base') + encodeURIComponent(ev.node) + '?snapshot=' + encodeURIComponent(container.getAttribute('data-snapshot'));
    });
    renderer.refresh();
    drawIntel();
    container.setAttribute('data-draw-ms', String(Math.round(performance.now() - started)));
    container.setAttribute('data-rendered', 'true');
    container.setAttribute('data-nodes', String(graph.order));
    container.setAttribute('data-intel-edges', String(intel.length));
  }

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
  else start();
})();
