// Draws an Attain report from the JSON in #attain-report-data with ECharts (inlined before
// this script). Two kinds: "portfolio" (attain report) and "team" (attain-plan). The data's
// fields are described in clients/report/README.md.
//
// Charts use the SVG renderer and no animation, so that the page is complete as soon as
// this script has run: body[data-rendered="true"] then tells a browser test (and a print
// job) that every chart was drawn.
(function () {
  'use strict';

  const data = JSON.parse(document.getElementById('attain-report-data').textContent);
  const root = document.getElementById('report');
  const locale = 'en-US';

  // ---- numbers people read --------------------------------------------------------------

  function moneyFormat(options) {
    try {
      return new Intl.NumberFormat(locale, Object.assign(
          {style: 'currency', currency: data.currency || 'USD'}, options));
    } catch (unknownCurrency) {  // RangeError: a code Intl does not know
      const plain = new Intl.NumberFormat(locale, options);
      return {format: (value) => plain.format(value) + ' ' + data.currency};
    }
  }
  const moneyFull = moneyFormat({maximumFractionDigits: 0});
  const moneyShort = moneyFormat({notation: 'compact', maximumSignificantDigits: 3});
  const integer = new Intl.NumberFormat(locale, {maximumFractionDigits: 0});

  const money = (value) => moneyFull.format(value);
  const moneyCompact = (value) => moneyShort.format(value);
  const signedMoney = (value) => (value > 0 ? '+' : '') + moneyFull.format(value);
  const percent = (p) => (100 * p).toFixed(1) + '%';
  const points = (delta) => (delta > 0 ? '+' : '') + (100 * delta).toFixed(1) + ' pp';
  const interval = (low, high) => percent(low) + ' – ' + percent(high);

  // ---- DOM helpers ----------------------------------------------------------------------

  function element(tag, attributes, children) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attributes || {})) {
      if (value !== undefined) node.setAttribute(name, value);
    }
    for (const child of [].concat(children || [])) {
      node.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
    return node;
  }

  function kpi(label, value, note, tone) {
    return element('div', {class: 'kpi'}, [
      element('div', {class: 'label'}, label),
      element('div', {class: tone ? 'value ' + tone : 'value'}, value),
      element('div', {class: 'note'}, note || ''),
    ]);
  }

  function section(title, why, children) {
    return element('section', {}, [element('h2', {}, title), element('p', {class: 'why'}, why)]
        .concat(children));
  }

  // A table whose columns are [heading, value of a row, numeric?].
  function table(columns, rows) {
    const head = element('tr', {}, columns.map(([heading, , numeric]) =>
        element('th', {class: numeric ? 'num' : undefined}, heading)));
    const body = rows.map((row) => element('tr', {}, columns.map(([, value, numeric]) =>
        element('td', {class: numeric ? 'num' : undefined}, value(row)))));
    return element('table', {}, [element('thead', {}, head), element('tbody', {}, body)]);
  }

  const charts = [];
  function chart(name, option, height) {
    const node = element('div', {class: 'chart', 'data-chart': name});
    if (height) node.style.height = height + 'px';
    charts.push({node, option});
    return node;
  }

  function header(title, subtitle) {
    const facts = [
      'Seed ' + data.seed,
      integer.format(data.paths) + ' simulated paths',
      'currency ' + data.currency,
    ];
    if (data.generatedAt) facts.push('generated ' + data.generatedAt);
    return element('header', {}, [
      element('h1', {}, title),
      element('p', {}, subtitle),
      element('p', {class: 'facts'}, facts.join(' · ')),
    ]);
  }

  const axisMoney = {formatter: (value) => moneyCompact(value)};
  const axisPercent = {formatter: (value) => Math.round(100 * value) + '%'};
  const colors = {with: '#2b6cb0', without: '#a0aec0', good: '#2f855a', bad: '#c53030'};

  // ---- a portfolio ----------------------------------------------------------------------

  function distributionChart() {
    const h = data.histogram;
    const total = h.counts.reduce((sum, count) => sum + count, 0) || 1;
    const width = (h.high - h.low) / h.counts.length;
    const bins = h.counts.map((count, i) => [h.low + (i + 0.5) * width, count / total]);
    // Two series on one value axis, overlaid: the bins short of quota and the rest.
    const bars = (name, color, keep) => ({
      name, type: 'bar', barGap: '-100%', barCategoryGap: '2%', itemStyle: {color},
      data: bins.filter(([middle]) => keep(middle)),
    });
    const quotaLine = {symbol: 'none', silent: true, data: [{xAxis: data.quota}],
      lineStyle: {color: '#1f2933', type: 'dashed'},
      label: {formatter: 'quota ' + moneyCompact(data.quota)}};
    return chart('distribution', {
      grid: {left: 60, right: 40, top: 40, bottom: 70},
      legend: {bottom: 0},
      tooltip: {trigger: 'axis', valueFormatter: (share) => percent(share) + ' of paths'},
      xAxis: {type: 'value', min: h.low, max: h.high, axisLabel: axisMoney,
        name: 'horizon revenue', nameLocation: 'middle', nameGap: 26},
      yAxis: {type: 'value', axisLabel: axisPercent, name: 'share of paths'},
      series: [
        Object.assign(bars('short of quota', colors.bad, (x) => x < data.quota),
            {markLine: quotaLine}),
        bars('at or above quota', colors.good, (x) => x >= data.quota),
      ],
    });
  }

  function partnersChart() {
    const shown = data.partners.slice()
        .sort((a, b) => b.assisted - a.assisted).slice(0, 20).reverse();
    return chart('partners', {
      grid: {left: 20, right: 30, top: 10, bottom: 50, containLabel: true},
      legend: {bottom: 0},
      tooltip: {trigger: 'axis', axisPointer: {type: 'shadow'}, valueFormatter: money},
      xAxis: {type: 'value', axisLabel: axisMoney},
      yAxis: {type: 'category', data: shown.map((p) => p.name),
        axisLabel: {width: 200, overflow: 'truncate'}},
      series: [
        {name: 'Whether you show up or not (unassisted)', type: 'bar',
          data: shown.map((p) => p.unassisted), itemStyle: {color: colors.without}},
        {name: 'With this plan (assisted)', type: 'bar',
          data: shown.map((p) => p.assisted), itemStyle: {color: colors.with}},
      ],
    }, Math.max(260, 60 + 34 * shown.length));
  }

  function onTrackChart() {
    return chart('on-track', {
      grid: {left: 60, right: 30, top: 30, bottom: 40},
      tooltip: {trigger: 'axis', valueFormatter: percent},
      xAxis: {type: 'category', data: data.onTrack.map((period) => period.label)},
      yAxis: {type: 'value', min: 0, max: 1, axisLabel: axisPercent},
      series: [{name: 'P(on track)', type: 'line', data: data.onTrack.map((p) => p.probability),
        itemStyle: {color: colors.with}, label: {show: true, formatter: (p) => percent(p.value)}}],
    });
  }

  function changesChart() {
    const changes = data.changes.slice().reverse();
    return chart('changes', {
      grid: {left: 20, right: 70, top: 10, bottom: 30, containLabel: true},
      tooltip: {trigger: 'axis', axisPointer: {type: 'shadow'}, valueFormatter: points},
      xAxis: {type: 'value', axisLabel: {formatter: (value) => (100 * value).toFixed(1) + ' pp'}},
      yAxis: {type: 'category', data: changes.map((c) => c.name + ' → ' + c.to),
        axisLabel: {width: 220, overflow: 'truncate'}},
      series: [{name: 'effect on P(attain)', type: 'bar',
        data: changes.map((c) => ({value: c.pAttainEffect,
          itemStyle: {color: c.pAttainEffect >= 0 ? colors.good : colors.bad}})),
        label: {show: true, position: 'right', formatter: (p) => points(p.value)}}],
    }, Math.max(200, 60 + 40 * changes.length));
  }

  function portfolioReport() {
    const recommended = data.recommended;
    const gain = recommended ? recommended.pAttain - data.pAttain : 0;
    const parts = [
      header(data.title, data.subtitle),
      element('div', {class: 'kpis'}, [
        kpi('P(attain quota)', percent(data.pAttain), '95% interval ' +
            interval(data.pAttainLow, data.pAttainHigh), data.pAttain >= 0.5 ? 'good' : 'bad'),
        kpi('Expected revenue', moneyCompact(data.expectedRevenue),
            'quota ' + money(data.quota) + ' · shortfall ' + money(data.expectedShortfall)),
        kpi('Whether you show up or not', moneyCompact(data.unassistedExpectedRevenue),
            'P(attain) ' + percent(data.unassistedPAttain) + ' with no hours from you'),
        recommended ?
          kpi('With the recommended plan', percent(recommended.pAttain),
              points(gain) + ' P(attain) · ' +
              signedMoney(recommended.expectedRevenue - data.expectedRevenue) + ' revenue',
              gain > 0 ? 'good' : undefined) :
          kpi('Hours per ' + data.periodWord, integer.format(data.hoursUsed),
              'of ' + integer.format(data.capacityHours) + ' you have'),
      ]),
      section('Revenue distribution', 'How the horizon\'s revenue fell across ' +
          integer.format(data.paths) + ' simulated paths; green paths make quota.',
          [distributionChart()]),
      section('Partners: whether you show up or not',
          'Each partner\'s expected revenue with no hours from you, and with this plan\'s ' +
          'hours (the 20 largest).', [partnersChart()]),
      section('On track, ' + data.periodWord + ' by ' + data.periodWord,
          'The probability that cumulative revenue is on pace for quota at the end of each ' +
          data.periodWord + '.', [onTrackChart()]),
    ];
    const why = 'Each change\'s effect on P(attain) measured on the same paths, with the reason.';
    if (data.changes.length === 0) {
      parts.push(section('Recommended changes', why, [element('p', {class: 'empty'},
          'No tier changes: this plan is the best the search found.')]));
    } else {
      parts.push(section('Recommended changes', why, [changesChart(), table([
        ['Partner', (c) => c.name],
        ['Change', (c) => c.from + ' → ' + c.to],
        ['Hours', (c) => (c.hoursChange > 0 ? '+' : '') + integer.format(c.hoursChange), true],
        ['P(attain)', (c) => points(c.pAttainEffect), true],
        ['Revenue', (c) => signedMoney(c.revenueEffect), true],
        ['Why', (c) => c.reason],
      ], data.changes)]));
    }
    return parts;
  }

  // ---- a team ---------------------------------------------------------------------------

  function managersChart(managers) {
    return chart('managers', {
      grid: {left: 20, right: 70, top: 10, bottom: 30, containLabel: true},
      tooltip: {trigger: 'axis', axisPointer: {type: 'shadow'}, valueFormatter: percent},
      xAxis: {type: 'value', min: 0, max: 1, axisLabel: axisPercent},
      yAxis: {type: 'category', data: managers.map((m) => m.id), inverse: true,
        axisLabel: {width: 200, overflow: 'truncate'}},
      series: [{name: 'P(attain)', type: 'bar',
        data: managers.map((m) => ({value: m.pAttain,
          itemStyle: {color: m.pAttain >= 0.5 ? colors.good : colors.bad}})),
        label: {show: true, position: 'right', formatter: (p) => percent(p.value)}}],
    }, Math.max(200, 60 + 30 * managers.length));
  }

  function atQuotaChart() {
    return chart('members-at-quota', {
      grid: {left: 60, right: 30, top: 30, bottom: 40},
      tooltip: {trigger: 'axis', valueFormatter: percent},
      xAxis: {type: 'category', name: 'managers at quota', nameLocation: 'middle', nameGap: 26,
        data: data.membersAtQuota.map((bucket) => bucket.count)},
      yAxis: {type: 'value', axisLabel: axisPercent},
      series: [{name: 'probability', type: 'bar', itemStyle: {color: colors.with},
        data: data.membersAtQuota.map((bucket) => bucket.probability)}],
    });
  }

  function teamReport() {
    // Highest risk first: risk rank 1 is the manager most in need of help.
    const managers = data.managers.slice().sort((a, b) => a.riskRank - b.riskRank);
    const kpis = [
      kpi('Managers', integer.format(managers.length), 'team quota ' + money(data.quota)),
      kpi('Expected at quota', data.expectedMembersAtQuota.toFixed(1),
          'of ' + managers.length + ' managers'),
    ];
    if (data.teamPAttain !== undefined) {
      kpis.push(kpi('P(team attains)', percent(data.teamPAttain),
          'team revenue at or above its quota'));
    }
    const hasGains = managers.some((m) => m.gainPAttain !== undefined);
    const columns = [
      ['Risk rank', (m) => m.riskRank, true],
      ['Manager', (m) => m.id],
      ['P(attain)', (m) => percent(m.pAttain), true],
      ['Expected revenue', (m) => money(m.expectedRevenue), true],
      ['Quota', (m) => money(m.quota), true],
      ['Shortfall', (m) => money(m.expectedShortfall), true],
    ];
    if (hasGains) {
      columns.push(['Coaching gain: team P(attain), revenue', (m) => m.gainPAttain === undefined ? '—' :
          points(m.gainPAttain) + ', ' + signedMoney(m.gainRevenue), true]);
    }
    return [
      header(data.title, 'Team of ' + managers.length + ' channel managers'),
      element('div', {class: 'kpis'}, kpis),
      section('P(attain) per manager', 'Highest risk first.', [managersChart(managers),
        table(columns, managers)]),
      section('How many managers make quota', 'The distribution of the number of managers ' +
          'at or above their quota in the same simulated periods.', [atQuotaChart()]),
    ];
  }

  // ---- draw -----------------------------------------------------------------------------

  const parts = data.kind === 'team' ? teamReport() : portfolioReport();
  root.replaceChildren(...parts, element('footer', {},
      'Made by ' + (data.generatedBy || 'Attain') + '. The same request and seed reproduce ' +
      'every figure. Charts: Apache ECharts ' + echarts.version + '.'));
  // The page's own font, named, so that ECharts measures labels in the font it draws.
  const fontFamily = getComputedStyle(document.body).fontFamily;
  for (const {node, option} of charts) {
    const drawn = echarts.init(node, null, {renderer: 'svg'});
    drawn.setOption(Object.assign({animation: false, textStyle: {fontFamily}}, option));
    window.addEventListener('resize', () => drawn.resize());
  }
  document.title = data.title + ' · Attain';
  document.body.dataset.rendered = 'true';
})();
