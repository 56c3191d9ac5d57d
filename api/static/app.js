/* 合同格式条款自查页：把文件或文字交给 /v1/audits，显示标出问题的合同和每个问题的说明。
 * Offsets in the report are Unicode code points (Python string indices), so every slice of
 * clause text here goes through Array.from(), never String.prototype.slice (UTF-16 units). */
(function () {
  'use strict';

  var DOMAINS = { prepaid: '预付式消费', used_car: '二手车', training: '培训', general: '通用' };
  var SEVERITY = { high: '高风险', medium: '中风险', low: '低风险' };
  var RANK = { high: 0, medium: 1, low: 2 };
  var FORMATS = {
    docx: '批注版 Word',
    pdf: '批注版 PDF',
    'report-docx': 'Word 审查意见书',
    html: 'HTML 审查报告',
    markdown: 'Markdown 审查报告'
  };
  var CONTEXT = 60; // characters of a long clause shown either side of a quote

  var $ = function (id) { return document.getElementById(id); };
  var form = $('audit-form');
  var state = { request: null, report: null, maxBytes: 20 * 1024 * 1024 };
  var ruleCache = {};

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (key) {
      if (key === 'text') node.textContent = attrs[key];
      else if (key === 'className') node.className = attrs[key];
      else node.setAttribute(key, attrs[key]);
    });
    (children || []).forEach(function (child) {
      if (child !== null && child !== undefined) {
        node.appendChild(typeof child === 'string' ? document.createTextNode(child) : child);
      }
    });
    return node;
  }

  function mode() { return form.querySelector('input[name="mode"]:checked').value; }

  function apiKeyHeaders() {
    var key = $('api-key').value || sessionStorage.getItem('clause-audit-key') || '';
    return key ? { 'X-API-Key': key } : {};
  }

  // ------------------------------------------------------------ requests

  function currentRequest() {
    var domain = $('domain').value;
    if (mode() === 'file') {
      var file = $('file').files[0];
      if (!file) throw new Error('请先选择合同文件。');
      if (file.size > state.maxBytes) {
        throw new Error('文件过大：上限为 ' + Math.round(state.maxBytes / 1048576) + ' MB。');
      }
      return { kind: 'file', file: file, domain: domain };
    }
    var text = $('text').value;
    if (!text.trim()) throw new Error('请先粘贴要审查的文字。');
    return { kind: 'text', text: text, domain: domain };
  }

  function send(req, format) {
    var query = format ? '?format=' + encodeURIComponent(format) : '';
    var headers = apiKeyHeaders();
    var body;
    if (req.kind === 'file') {
      body = new FormData();
      body.append('file', req.file, req.file.name);
      if (req.domain) body.append('domain', req.domain);
      return fetch('v1/audits' + query, { method: 'POST', body: body, headers: headers });
    }
    headers['Content-Type'] = 'application/json';
    body = JSON.stringify({ text: req.text, domain: req.domain || null });
    return fetch('v1/audits/text' + query, { method: 'POST', body: body, headers: headers });
  }

  function failure(response) {
    return response.json().catch(function () { return {}; }).then(function (data) {
      if (response.status === 401) {
        $('key-row').hidden = false;
        $('api-key').focus();
      }
      var message = data && data.error && data.error.message;
      throw new Error(message || ('请求失败（HTTP ' + response.status + '）'));
    });
  }

  function showError(message) {
    var box = $('error');
    box.textContent = message;
    box.hidden = !message;
  }

  function busy(on, words) {
    $('submit').disabled = on;
    $('status').textContent = words || '';
  }

  form.addEventListener('submit', function (event) {
    event.preventDefault();
    showError('');
    var req;
    try { req = currentRequest(); } catch (e) { showError(e.message); return; }
    if ($('api-key').value) sessionStorage.setItem('clause-audit-key', $('api-key').value);
    busy(true, '正在审查，请稍候……');
    send(req).then(function (response) {
      if (!response.ok) return failure(response);
      return response.json();
    }).then(function (report) {
      state.request = req;
      state.report = report;
      showReport(report);
      busy(false, '审查完成。');
    }).catch(function (e) {
      busy(false, '');
      showError(e.message === 'Failed to fetch' ? '无法连接服务器，请检查网络后重试。' : e.message);
    });
  });

  form.addEventListener('change', function (event) {
    if (event.target.name === 'mode') {
      $('file-pane').hidden = mode() !== 'file';
      $('text-pane').hidden = mode() !== 'text';
    }
    if (event.target.id === 'file') {
      var file = $('file').files[0];
      $('file-name').textContent = file ? file.name + '（' + Math.max(1, Math.round(file.size / 1024)) + ' KB）' : '未选择文件';
    }
  });

  // ------------------------------------------------------------ downloads

  function fileName(response, fallback) {
    var header = response.headers.get('Content-Disposition') || '';
    var star = /filename\*\s*=\s*UTF-8''([^;]+)/i.exec(header);
    if (star) {
      try { return decodeURIComponent(star[1].trim()); } catch (e) { /* fall through */ }
    }
    var plain = /filename\s*=\s*"([^"]+)"/i.exec(header);
    return plain ? plain[1] : fallback;
  }

  function download(format, button) {
    if (!state.request) return;
    showError('');
    button.disabled = true;
    busy(true, '正在生成' + FORMATS[format] + '……');
    send(state.request, format).then(function (response) {
      if (!response.ok) return failure(response);
      return response.blob().then(function (blob) {
        var url = URL.createObjectURL(blob);
        var link = el('a', { href: url, download: fileName(response, 'clause-audit-' + format) });
        document.body.appendChild(link);
        link.click();
        link.remove();
        setTimeout(function () { URL.revokeObjectURL(url); }, 60000);
        busy(false, '已下载' + FORMATS[format] + '。');
      });
    }).catch(function (e) {
      busy(false, '');
      showError(e.message);
    }).then(function () { button.disabled = false; });
  }

  function downloadButtons(report) {
    var box = $('downloads');
    box.textContent = '';
    var formats = [];
    if (report.format === 'docx') formats.push('docx');
    if (report.format === 'pdf') formats.push('pdf');
    formats.push('report-docx', 'html', 'markdown');
    formats.forEach(function (format) {
      var label = '下载' + (/^[A-Za-z]/.test(FORMATS[format]) ? ' ' : '') + FORMATS[format];
      var button = el('button', { type: 'button', className: 'secondary', 'data-format': format, text: label });
      button.addEventListener('click', function () { download(format, button); });
      box.appendChild(button);
    });
  }

  // ------------------------------------------------------------ the report

  function showReport(report) {
    $('result').hidden = false;
    $('result-title').textContent = '审查结果：' + report.source;
    var meta = $('meta');
    meta.textContent = '';
    var domain = DOMAINS[report.domain.code] || report.domain.code;
    var how = report.domain.forced ? '指定' : '自动识别，置信度 ' + report.domain.confidence.toFixed(2);
    var rows = [['领域', domain + '（' + how + '）'], ['条款数', String(report.clauses.length)]];
    if (report.merchant) rows.push(['经营者', report.merchant]);
    rows.push(['规则库版本', report.rules_version]);
    rows.forEach(function (row) { meta.appendChild(el('dt', { text: row[0] })); meta.appendChild(el('dd', { text: row[1] })); });

    var counts = $('counts');
    counts.textContent = '';
    counts.appendChild(el('li', {}, ['问题 ', el('b', { text: String(report.findings.length) })]));
    ['high', 'medium', 'low'].forEach(function (s) {
      counts.appendChild(el('li', {}, [el('span', { className: 'badge sev-' + s, text: SEVERITY[s] }), ' ',
        el('b', { text: String(report.summary.by_severity[s]) })]));
    });

    var warnings = $('warnings');
    warnings.textContent = '';
    (report.warnings || []).forEach(function (w) {
      warnings.appendChild(el('li', { className: w.level, text: '提取质量：' + w.message + (w.page ? '（第 ' + w.page + ' 页）' : '') }));
    });
    (report.rule_errors || []).forEach(function (e) {
      warnings.appendChild(el('li', { className: 'error', text: '规则 ' + e.rule_id + ' 执行出错：' + e.message }));
    });
    warnings.hidden = !warnings.childNodes.length;

    downloadButtons(report);
    // numbered as the panel lists them: findings in clauses first, then missing terms
    var ordered = report.findings.map(function (f, i) { return { f: f, i: i }; });
    ordered.sort(function (a, b) { return (a.f.clause_index === null) - (b.f.clause_index === null) || a.i - b.i; });
    var items = ordered.map(function (o, n) { return { id: 'f' + (n + 1), no: n + 1, f: o.f }; });
    renderContract(report, items);
    renderPanel(report, items);
    loadRules(items);
    $('result').scrollIntoView({ block: 'start' });
  }

  function depth(report, clause) {
    var d = 0;
    var seen = {};
    while (clause.parent !== undefined && clause.parent !== null && !seen[clause.parent] && d < 3) {
      seen[clause.parent] = true;
      clause = report.clauses[clause.parent];
      if (!clause) break;
      d++;
    }
    return d;
  }

  function renderContract(report, items) {
    var box = $('contract');
    box.textContent = '';
    var byClause = {};
    items.forEach(function (item) {
      if (item.f.clause_index !== null) (byClause[item.f.clause_index] = byClause[item.f.clause_index] || []).push(item);
    });
    report.clauses.forEach(function (clause) {
      var found = byClause[clause.index] || [];
      var classes = ['clause', 'kind-' + clause.kind, 'depth-' + depth(report, clause)];
      if (found.length) classes.push('flagged');
      var row = el('div', { className: classes.join(' '), id: 'c' + clause.index, 'data-index': String(clause.index) });
      if (clause.number) row.appendChild(el('span', { className: 'num', text: clause.number }));
      row.appendChild(markedText(clause.text, found));
      box.appendChild(row);
    });
  }

  /* The clause text cut at every span boundary (in code points), so overlapping findings give a run
   * of separate <mark>s; each finding's number follows the end of its span. */
  function markedText(text, found) {
    var chars = Array.from(text);
    var spans = found.filter(function (it) { return it.f.start !== null && it.f.end !== null && it.f.start < it.f.end; });
    var cuts = [0, chars.length];
    spans.forEach(function (it) {
      cuts.push(Math.min(Math.max(it.f.start, 0), chars.length), Math.min(Math.max(it.f.end, 0), chars.length));
    });
    cuts = cuts.filter(function (c, i) { return cuts.indexOf(c) === i; }).sort(function (a, b) { return a - b; });
    var node = el('div', { className: 'text' });
    for (var k = 0; k + 1 < cuts.length; k++) {
      var a = cuts[k], b = cuts[k + 1];
      var piece = chars.slice(a, b).join('');
      var cover = spans.filter(function (it) { return it.f.start <= a && it.f.end >= b; });
      if (!cover.length) {
        node.appendChild(document.createTextNode(piece));
      } else {
        cover.sort(function (x, y) { return RANK[x.f.severity] - RANK[y.f.severity] || x.no - y.no; });
        var mark = el('mark', {
          className: 'sev-' + cover[0].f.severity,
          tabindex: '0',
          title: cover.map(function (it) { return it.no + '. ' + it.f.title; }).join('\n'),
          'data-f': cover.map(function (it) { return it.id; }).join(' '),
          'data-rule': cover.map(function (it) { return it.f.rule_id; }).join(' '),
          text: piece
        });
        mark.addEventListener('click', focusFinding.bind(null, cover[0].id));
        mark.addEventListener('keydown', function (id, event) {
          if (event.key === 'Enter') focusFinding(id);
        }.bind(null, cover[0].id));
        node.appendChild(mark);
      }
      spans.forEach(function (it) {
        if (Math.min(it.f.end, chars.length) === b) {
          node.appendChild(el('sup', { className: 'fn sev-' + it.f.severity, text: String(it.no) }));
        }
      });
    }
    return node;
  }

  function focus(node) {
    document.querySelectorAll('.focus').forEach(function (n) { n.classList.remove('focus'); });
    if (!node) return;
    node.classList.add('focus');
    node.scrollIntoView({ block: 'center', behavior: 'smooth' });
  }

  function focusFinding(id) { focus($(id)); }

  function renderPanel(report, items) {
    var panel = $('findings');
    panel.textContent = '';
    var inClauses = items.filter(function (it) { return it.f.clause_index !== null; });
    var missing = items.filter(function (it) { return it.f.clause_index === null; });
    panel.appendChild(el('h3', { text: '问题条款（' + inClauses.length + '）' }));
    if (!items.length) panel.appendChild(el('p', { className: 'clean', text: '未发现问题条款。' }));
    else if (!inClauses.length) panel.appendChild(el('p', { className: 'clean', text: '条款中未发现问题。' }));
    inClauses.forEach(function (it) { panel.appendChild(entry(report, it)); });
    if (missing.length) {
      panel.appendChild(el('h3', { text: '缺失的必备条款（' + missing.length + '）' }));
      missing.forEach(function (it) { panel.appendChild(entry(report, it)); });
    }
  }

  function entry(report, it) {
    var f = it.f;
    var where;
    var quote = null;
    if (f.clause_index === null) {
      where = el('span', { className: 'where-doc', text: '全文' });
    } else {
      where = el('button', { type: 'button', className: 'where', text: f.clause_number || ('第' + (f.clause_index + 1) + '段') });
      where.addEventListener('click', function () { focus($('c' + f.clause_index)); });
      var chars = Array.from(report.clauses[f.clause_index].text);
      var from = Math.max(0, f.start - CONTEXT), to = Math.min(chars.length, f.end + CONTEXT);
      quote = el('blockquote', { className: 'quote' }, [
        (from > 0 ? '…' : '') + chars.slice(from, f.start).join(''),
        el('mark', { className: 'sev-' + f.severity, text: chars.slice(f.start, f.end).join('') }),
        chars.slice(f.end, to).join('') + (to < chars.length ? '…' : '')
      ]);
    }
    var citations = el('ul', { className: 'citations', 'data-rule': f.rule_id });
    f.legal_basis.forEach(function (ref) { citations.appendChild(el('li', { className: 'citation', text: ref })); });
    return el('article', { className: 'finding sev-' + f.severity, id: it.id, 'data-rule': f.rule_id }, [
      el('h4', {}, [
        el('span', { className: 'no', text: String(it.no) }),
        el('span', { className: 'badge sev-' + f.severity, text: SEVERITY[f.severity] || f.severity }),
        where,
        el('span', { className: 'title', text: f.title })
      ]),
      quote,
      el('dl', {}, [
        el('dt', { text: '问题点评' }), el('dd', { className: 'message', text: f.message }),
        el('dt', { text: '法律依据' }), el('dd', {}, [citations]),
        el('dt', { text: '修改建议' }), el('dd', { className: 'suggestion', text: f.suggestion })
      ]),
      el('p', { className: 'tags' }, ['规则：', el('code', { text: f.rule_id })])
    ]);
  }

  // The legal texts come with each rule (GET v1/rules/{id}), fetched once per rule.
  function loadRules(items) {
    var ids = {};
    items.forEach(function (it) { ids[it.f.rule_id] = true; });
    Object.keys(ids).forEach(function (id) {
      var load = ruleCache[id] || (ruleCache[id] = fetch('v1/rules/' + id.split('/').map(encodeURIComponent).join('/'), {
        headers: apiKeyHeaders()
      }).then(function (r) { return r.ok ? r.json() : null; }).catch(function () { return null; }));
      load.then(function (rule) {
        if (!rule) { delete ruleCache[id]; return; }
        document.querySelectorAll('ul.citations[data-rule="' + CSS.escape(id) + '"]').forEach(function (list) {
          list.textContent = '';
          rule.citations.forEach(function (c) { list.appendChild(citation(c)); });
          var tags = list.closest('article').querySelector('.tags');
          tags.insertBefore(document.createTextNode('类别：' + rule.category_name + '　·　'), tags.firstChild);
        });
      });
    });
  }

  function citation(c) {
    var head = el('summary', {}, [
      el('strong', { text: c.law + c.article }), ' ',
      el('span', { className: 'status-' + c.status, text: '（' + c.status_words + '）' })
    ]);
    if (!c.text) return el('li', { className: 'citation' }, [head]);
    var lines = c.text.split('\n');
    var cited = {};
    (c.cited_lines || []).forEach(function (n) { cited[n] = true; });
    var quote = el('blockquote', {});
    lines.forEach(function (line, n) {
      if (n) quote.appendChild(document.createTextNode('\n'));
      quote.appendChild(cited[n] ? el('strong', { className: 'cited', text: line }) : document.createTextNode(line));
    });
    return el('li', { className: 'citation' }, [el('details', {}, [head, quote])]);
  }

  // ------------------------------------------------------------ start

  fetch('healthz').then(function (r) { return r.ok ? r.json() : null; }).then(function (health) {
    if (health && health.max_upload_bytes) {
      state.maxBytes = health.max_upload_bytes;
      $('max-size').textContent = String(Math.round(health.max_upload_bytes / 1048576 * 10) / 10);
    }
  }).catch(function () { /* the defaults stand */ });
})();
