/* wsis-kg dashboard: progressive enhancement only. Every page works without this file.
   Data goes into the page as text (textContent), never as markup; the HTML fragments it
   inserts are the server's own pages, escaped there. No inline script: the CSP forbids it. */
(function () {
  "use strict";

  // ------------------------------------------------------------------ the matrix

  function matrixTable() {
    return document.getElementById("matrix");
  }

  function markSelected(link) {
    var table = matrixTable();
    if (!table) return;
    table.querySelectorAll("td.selected").forEach(function (td) {
      td.classList.remove("selected");
      var a = td.querySelector("a[data-cell]");
      if (a) a.removeAttribute("aria-current");
    });
    if (link) {
      link.parentElement.classList.add("selected");
      link.setAttribute("aria-current", "true");
    }
  }

  function openCell(link, push) {
    var panel = document.getElementById("evidence");
    if (!panel) return false;
    var url = new URL(link.href, window.location.href);
    url.pathname = "/dashboard/cell";
    url.searchParams.set("fragment", "1");
    url.hash = "";
    panel.setAttribute("aria-busy", "true");
    fetch(url, { headers: { Accept: "text/html" }, credentials: "same-origin" })
      .then(function (response) {
        return response.text().then(function (text) {
          return { ok: response.ok, text: text };
        });
      })
      .then(function (answer) {
        var doc = new DOMParser().parseFromString(answer.text, "text/html");
        var source = answer.ok ? doc.body : doc.querySelector("main") || doc.body;
        var nodes = Array.prototype.map.call(source.childNodes, function (node) {
          return document.importNode(node, true);
        });
        panel.replaceChildren.apply(panel, nodes);
        panel.removeAttribute("aria-busy");
        markSelected(link);
        if (push) history.pushState({ cell: link.href }, "", link.href);
        var heading = panel.querySelector("h1, h2");
        if (heading) {
          heading.setAttribute("tabindex", "-1");
          heading.focus({ preventScroll: true });
        }
        panel.scrollIntoView({ block: "nearest" });
      })
      .catch(function () {
        panel.removeAttribute("aria-busy");
        window.location.href = link.href; // the server-rendered page instead
      });
    return true;
  }

  function setSublines(toggle, show) {
    var table = matrixTable();
    if (!table) return;
    table.querySelectorAll("tr[data-subline]").forEach(function (row) {
      row.hidden = !show;
    });
    toggle.setAttribute("aria-expanded", show ? "true" : "false");
    toggle.textContent = show ? toggle.getAttribute("data-show-text") : toggle.getAttribute("data-hide-text");
    // keep the state in the page's address, its links and its forms
    var rewrite = function (address) {
      var url = new URL(address, window.location.href);
      if (show) url.searchParams.set("sublines", "show");
      else url.searchParams.delete("sublines");
      return url.pathname + url.search + url.hash;
    };
    document.querySelectorAll("a[data-cell]").forEach(function (a) {
      a.setAttribute("href", rewrite(a.getAttribute("href")));
    });
    document.querySelectorAll('a[data-download="svg"]').forEach(function (a) {
      a.setAttribute("href", rewrite(a.getAttribute("href")));
    });
    document.querySelectorAll("button[data-png]").forEach(function (b) {
      b.setAttribute("data-png", rewrite(b.getAttribute("data-png")));
    });
    document.querySelectorAll("form.filters").forEach(function (form) {
      var input = form.querySelector('input[name="sublines"]');
      if (show && !input) {
        input = document.createElement("input");
        input.type = "hidden";
        input.name = "sublines";
        input.value = "show";
        form.appendChild(input);
      } else if (!show && input) {
        input.remove();
      }
    });
    history.replaceState(history.state, "", rewrite(window.location.href));
    toggle.setAttribute("href", (function () {
      var url = new URL(window.location.href);
      if (show) url.searchParams.delete("sublines");
      else url.searchParams.set("sublines", "show");
      return url.pathname + url.search;
    })());
  }

  function moveInMatrix(link, key) {
    var table = matrixTable();
    var cell = link.parentElement;
    var row = cell.parentElement;
    var rows = Array.prototype.filter.call(table.tBodies[0].rows, function (r) {
      return !r.hidden;
    });
    var links = function (r) {
      return Array.prototype.slice.call(r.querySelectorAll("a[data-cell]"));
    };
    var column = links(row).indexOf(link);
    var at = rows.indexOf(row);
    var target = null;
    if (key === "ArrowRight") target = links(row)[column + 1];
    else if (key === "ArrowLeft") target = links(row)[column - 1];
    else if (key === "ArrowDown" && at + 1 < rows.length) target = links(rows[at + 1])[column];
    else if (key === "ArrowUp" && at > 0) target = links(rows[at - 1])[column];
    else if (key === "Home") target = links(row)[0];
    else if (key === "End") target = links(row)[links(row).length - 1];
    if (target) target.focus();
    return Boolean(target);
  }

  function downloadPng(button) {
    var image = new Image();
    image.onload = function () {
      var ratio = 2;
      var canvas = document.createElement("canvas");
      canvas.width = image.naturalWidth * ratio;
      canvas.height = image.naturalHeight * ratio;
      var context = canvas.getContext("2d");
      context.scale(ratio, ratio);
      context.drawImage(image, 0, 0);
      canvas.toBlob(function (blob) {
        var a = document.createElement("a");
        a.href = URL.createObjectURL(blob);
        a.download = "wsis-sdg-matrix.png";
        document.body.appendChild(a);
        a.click();
        setTimeout(function () {
          URL.revokeObjectURL(a.href);
          a.remove();
        }, 1000);
      }, "image/png");
    };
    image.src = button.getAttribute("data-png");
  }

  document.addEventListener("click", function (event) {
    if (event.defaultPrevented || event.button !== 0) return;
    if (event.ctrlKey || event.metaKey || event.shiftKey || event.altKey) return;
    var target = event.target instanceof Element ? event.target : null;
    if (!target) return;
    var link = target.closest("a[data-cell]");
    if (link && openCell(link, true)) {
      event.preventDefault();
      return;
    }
    var toggle = target.closest("a[data-toggle-sublines]");
    if (toggle) {
      event.preventDefault();
      setSublines(toggle, toggle.getAttribute("aria-expanded") !== "true");
      return;
    }
    var png = target.closest("button[data-png]");
    if (png) {
      event.preventDefault();
      downloadPng(png);
    }
  });

  document.addEventListener("keydown", function (event) {
    var target = event.target instanceof Element ? event.target : null;
    if (target && target.matches("a[data-toggle-sublines]") && event.key === " ") {
      event.preventDefault(); // a button: Space toggles it too
      setSublines(target, target.getAttribute("aria-expanded") !== "true");
      return;
    }
    if (!target || !target.matches("a[data-cell]")) return;
    if (["ArrowRight", "ArrowLeft", "ArrowDown", "ArrowUp", "Home", "End"].indexOf(event.key) < 0) return;
    if (moveInMatrix(target, event.key)) event.preventDefault();
  });

  window.addEventListener("popstate", function () {
    // back/forward between cells: show what the address says
    var url = new URL(window.location.href);
    var line = url.searchParams.get("action_line");
    var goal = url.searchParams.get("goal");
    if (!matrixTable()) return;
    var selector = 'tr[data-action-line="' + CSS.escape(line || "") + '"] td[data-goal="' + CSS.escape(goal || "") + '"] a[data-cell]';
    var link = line && goal ? matrixTable().querySelector(selector) : null;
    if (link) openCell(link, false);
    else window.location.reload();
  });

  // ------------------------------------------------------------------ SPARQL

  function sparqlPage() {
    var form = document.getElementById("sparql-form");
    if (!form) return;
    var textarea = document.getElementById("query");
    var picker = document.querySelector("select[data-examples]");
    var load = document.querySelector("button[data-load-example]");
    if (load) load.hidden = true;
    if (picker) {
      picker.addEventListener("change", function () {
        var source = document.querySelector('pre[data-example="' + CSS.escape(picker.value) + '"]');
        if (source) {
          textarea.value = source.textContent;
          textarea.focus();
        }
      });
    }
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      runQuery(textarea.value);
    });
    textarea.addEventListener("keydown", function (event) {
      if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
        event.preventDefault();
        runQuery(textarea.value);
      }
    });
  }

  function clear(node) {
    while (node.firstChild) node.removeChild(node.firstChild);
  }

  function element(name, text) {
    var node = document.createElement(name);
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function runQuery(query) {
    var results = document.getElementById("results");
    var share = document.getElementById("share");
    var csv = document.getElementById("results-csv");
    var pageUrl = "/dashboard/sparql?" + new URLSearchParams({ query: query }).toString();
    history.replaceState(null, "", pageUrl);
    share.href = pageUrl;
    share.hidden = false;
    csv.href = "/dashboard/sparql?" + new URLSearchParams({ query: query, format: "csv" }).toString();
    csv.hidden = false;
    clear(results);
    results.appendChild(element("h2", "Results")).id = "results-title";
    var status = results.appendChild(element("p", "Running…"));
    status.id = "results-status";
    results.setAttribute("aria-busy", "true");
    var started = performance.now();
    fetch("/sparql", {
      method: "POST",
      headers: {
        "Content-Type": "application/x-www-form-urlencoded",
        Accept: "application/sparql-results+json, application/n-triples;q=0.9",
      },
      body: new URLSearchParams({ query: query }).toString(),
      credentials: "same-origin",
    })
      .then(function (response) {
        var type = response.headers.get("content-type") || "";
        return response.text().then(function (body) {
          return { ok: response.ok, status: response.status, type: type, body: body };
        });
      })
      .then(function (answer) {
        results.removeAttribute("aria-busy");
        var seconds = ((performance.now() - started) / 1000).toFixed(2);
        if (!answer.ok) {
          var message = answer.body;
          try {
            message = JSON.parse(answer.body).error || message;
          } catch (e) {
            /* not JSON: show the text */
          }
          status.className = "error";
          status.setAttribute("role", "alert");
          status.textContent = "Error " + answer.status + ": " + message;
          return;
        }
        if (answer.type.indexOf("json") >= 0) {
          showResults(results, status, JSON.parse(answer.body), seconds);
        } else {
          status.textContent = "Triples (N-Triples), in " + seconds + " s:";
          results.appendChild(element("pre", answer.body));
        }
      })
      .catch(function (error) {
        results.removeAttribute("aria-busy");
        status.className = "error";
        status.textContent = "The query could not be sent: " + error;
      });
  }

  function showResults(results, status, data, seconds) {
    if (typeof data.boolean === "boolean") {
      status.textContent = String(data.boolean);
      return;
    }
    var columns = data.head.vars || [];
    var rows = data.results.bindings || [];
    var limit = 1000;
    status.textContent = rows.length + (rows.length === 1 ? " row" : " rows") +
      (rows.length > limit ? " (the first " + limit + " shown)" : "") + " in " + seconds + " s.";
    var scroll = results.appendChild(element("div"));
    scroll.className = "table-scroll";
    var table = scroll.appendChild(element("table"));
    table.className = "data";
    table.id = "results-table";
    var head = table.appendChild(element("thead")).appendChild(element("tr"));
    columns.forEach(function (c) {
      head.appendChild(element("th", c)).setAttribute("scope", "col");
    });
    var body = table.appendChild(element("tbody"));
    rows.slice(0, limit).forEach(function (binding) {
      var tr = body.appendChild(element("tr"));
      columns.forEach(function (c) {
        var value = binding[c];
        tr.appendChild(element("td", value ? value.value : ""));
      });
    });
  }

  // ------------------------------------------------------------------ start

  function start() {
    document.querySelectorAll("button[data-png]").forEach(function (b) {
      b.hidden = false;
    });
    var toggle = document.querySelector("a[data-toggle-sublines]");
    if (toggle) toggle.setAttribute("role", "button");
    sparqlPage();
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
