// The dashboard's four charts, drawn by Chart.js from the figures the page also
// shows as tables (json_script "dashboard-chart-data"). Numbers in Vietnamese format.
// Wagtail's admin puts page scripts in the body before the content: the template
// defers this one, and drawing waits for the parsed document in any case (the data
// and the canvases come after the script tag).
(function () {
  'use strict';
  const styles = {
    followers: { type: 'line', colour: '#0b5394' },
    posts: { type: 'bar', colour: '#38761d' },
    engagements: { type: 'bar', colour: '#b45f06' },
    visits: { type: 'bar', colour: '#741b47' },
  };

  function draw() {
    const source = document.getElementById('dashboard-chart-data');
    if (!source || typeof Chart === 'undefined') return;
    const data = JSON.parse(source.textContent);
    const number = new Intl.NumberFormat('vi-VN');
    document.querySelectorAll('canvas[data-chart]').forEach((canvas) => {
      const key = canvas.dataset.chart;
      const style = styles[key];
      new Chart(canvas, {
        type: style.type,
        data: {
          labels: data.labels,
          datasets: [{
            label: canvas.getAttribute('aria-label').split(':')[0],
            data: data[key],
            borderColor: style.colour,
            backgroundColor: style.colour,
            pointRadius: data.labels.length > 60 ? 0 : 2,
          }],
        },
        options: {
          maintainAspectRatio: false,
          animation: false,
          plugins: {
            legend: { display: false },
            tooltip: { callbacks: { label: (item) => number.format(item.parsed.y) } },
          },
          scales: { y: { beginAtZero: true, ticks: { callback: (v) => number.format(v) } } },
        },
      });
    });
  }

  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', draw);
  } else {
    draw();
  }
})();
