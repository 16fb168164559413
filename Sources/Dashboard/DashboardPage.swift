/// The dashboard's one page: markup, script and style, compiled into the binary so it needs no build step, no
/// files beside the binary and no CDN. The script renders everything from the server with `textContent` and
/// `createElement`, never `innerHTML`, so a creator id is always text.
enum DashboardPage {
    static let html = #"""
        <!doctype html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>Resonance · community dashboard</title>
        <link rel="stylesheet" href="/app.css">
        <script src="/app.js" defer></script>
        </head>
        <body>
        <header>
          <h1><a href="#">Resonance</a> <span class="sub">community dashboard</span></h1>
          <span id="status" data-state="connecting">connecting…</span>
          <span id="clock"></span>
        </header>
        <main id="overview">
          <section id="board">
            <h2>Creators by engaged community</h2>
            <p class="hint" id="board-hint">Rank by engaged followers (30 days) next to rank by followers. Over the
              last hour and day of event time: engaged users summed over the windows (someone engaging in three
              windows counts three times), and the share of followers engaged in a window, averaged.</p>
            <p id="empty" hidden></p>
            <table id="leaderboard">
              <thead><tr>
                <th>#</th><th title="rank by followers">by fol.</th><th>creator</th><th>followers</th>
                <th title="engaged users summed over the windows of the last hour">eng. 1h</th>
                <th title="engaged users summed over the windows of the last day">eng. 1d</th>
                <th title="engaged followers per window / followers, last hour">share 1h</th>
                <th title="engaged followers per window / followers, last day">share 1d</th>
                <th title="followers who engaged in 30 days">eng. fol. 30d</th>
                <th>dormant</th><th></th>
              </tr></thead>
              <tbody></tbody>
            </table>
          </section>
          <section id="alerts">
            <h2>Live alerts</h2>
            <ol id="feed"></ol>
          </section>
        </main>
        <main id="creator-view" hidden>
          <p><a href="#">← all creators</a></p>
          <h2 id="creator-title"></h2>
          <dl id="creator-figures"></dl>
          <img id="chart" alt="engagement chart">
          <p id="chart-empty" hidden>Nothing to draw yet.</p>
          <h3>Spikes and drifts</h3>
          <ol id="creator-alerts"></ol>
        </main>
        </body>
        </html>

        """#

    static let script = #"""
        "use strict";
        const $ = (id) => document.getElementById(id);
        let source = null;

        function el(tag, text, className) {
          const node = document.createElement(tag);
          if (text !== undefined && text !== null) node.textContent = String(text);
          if (className) node.className = className;
          return node;
        }
        function creatorLink(id) {
          const a = el("a", id, "creator-link");
          a.href = "#creator=" + encodeURIComponent(id);
          return a;
        }
        function num(value, digits) {
          return value === undefined || value === null ? "–" : Number(value).toFixed(digits || 0);
        }
        function pct(value) {
          if (value === undefined || value === null) return "–";
          return (value * 100).toFixed(value > 0 && value < 0.01 ? 2 : 1) + " %";
        }
        function time(ms) {
          return ms === undefined || ms === null ? "–" : new Date(ms).toISOString().replace("T", " ").slice(0, 16) + " UTC";
        }
        function currentCreator() {
          const match = location.hash.match(/^#creator=(.*)$/);
          return match ? decodeURIComponent(match[1]) : null;
        }
        function setStatus(state, message) {
          const status = $("status");
          status.dataset.state = state;
          status.textContent = message;
        }

        function renderOverview(data) {
          setStatus(data.status, data.message);
          $("clock").textContent = data.now ? "event time " + time(data.now) : "";
          const body = $("leaderboard").tBodies[0];
          body.replaceChildren(...data.leaderboard.map((row) => {
            const tr = el("tr", null, "creator-row");
            tr.dataset.creator = row.creator;
            const name = el("td");
            name.append(creatorLink(row.creator));
            tr.append(el("td", row.community_rank), el("td", row.follower_rank), name, el("td", num(row.followers)),
              el("td", num(row.engaged_users_1h)), el("td", num(row.engaged_users_1d)),
              el("td", pct(row.engaged_share_1h)), el("td", pct(row.engaged_share_1d)),
              el("td", num(row.engaged_followers_30d)), el("td", pct(row.dormant_share)),
              el("td", row.spiking ? "spiking" : "", row.spiking ? "badge" : ""));
            return tr;
          }));
          const empty = $("empty");
          empty.hidden = data.leaderboard.length > 0;
          empty.textContent = data.status === "live"
            ? "No results yet: the result topics are empty. Start a worker and a producer."
            : data.message;
          $("feed").replaceChildren(...data.feed.map((alert) => renderAlert(alert, true)));
        }

        function renderAlert(alert, withCreator) {
          const li = el("li", null, "alert " + alert.kind);
          li.append(el("span", alert.kind.replace("_", " "), "kind"));
          if (withCreator) li.append(creatorLink(alert.creator));
          if (alert.community) li.append(el("span", "#" + alert.community, "community"));
          li.append(el("span", alert.summary, "summary"), el("time", time(alert.at || alert.onset)));
          return li;
        }

        function renderCreator(data) {
          setStatus(data.status, data.message);
          $("creator-title").textContent = data.creator;
          const figures = $("creator-figures");
          figures.replaceChildren();
          if (data.tracked === false) {
            figures.append(el("dt", "not tracked"), el("dd", "no results for this creator in the look-back"));
          } else {
            for (const [label, value] of [["followers", num(data.followers)],
              ["engaged users summed over windows, 1h / 1d", num(data.engaged_users_1h) + " / " + num(data.engaged_users_1d)],
              ["engaged-follower share per window, 1h / 1d", pct(data.engaged_share_1h) + " / " + pct(data.engaged_share_1d)],
              ["engaged followers, 30 days", num(data.engaged_followers_30d)], ["dormant share", pct(data.dormant_share)]]) {
              figures.append(el("dt", label), el("dd", value));
            }
          }
          const chart = $("chart");
          chart.onerror = () => { chart.hidden = true; $("chart-empty").hidden = false; };
          chart.onload = () => { chart.hidden = false; $("chart-empty").hidden = true; };
          chart.src = "/chart.svg?id=" + encodeURIComponent(data.creator) + "&v=" + (data.version || 0);
          const alerts = (data.spikes || []).map((spike) => renderAlert({ kind: spike.end ? "spike_ended" : "spike_started",
            creator: data.creator, onset: spike.onset, community: spike.community,
            summary: spike.severity ? spike.severity.toFixed(1) + "σ" : "spike" }, false));
          for (const drift of data.drifts || []) {
            alerts.push(renderAlert({ kind: "follower_drift", creator: data.creator, onset: drift.onset,
              summary: "dormant " + pct(drift.share_before) + " → " + pct(drift.share_after) }, false));
          }
          $("creator-alerts").replaceChildren(...alerts);
        }

        function connect() {
          if (source) source.close();
          const creator = currentCreator();
          $("overview").hidden = creator !== null;
          $("creator-view").hidden = creator === null;
          source = new EventSource("/events" + (creator === null ? "" : "?creator=" + encodeURIComponent(creator)));
          source.addEventListener("overview", (event) => renderOverview(JSON.parse(event.data)));
          source.addEventListener("creator", (event) => renderCreator(JSON.parse(event.data)));
          source.onerror = () => setStatus("disconnected", "Lost the dashboard server; reconnecting…");
        }
        window.addEventListener("hashchange", connect);
        connect();

        """#

    static let style = #"""
        [hidden] { display: none !important; }
        body { font: 14px/1.4 system-ui, sans-serif; margin: 0; color: #222; background: #fafafa; }
        header { display: flex; gap: 1.5em; align-items: baseline; padding: 0.8em 1.5em; background: #1f2933; color: #fff; }
        header h1 { font-size: 1.2em; margin: 0; }
        header a { color: #fff; text-decoration: none; }
        .sub { font-weight: normal; opacity: 0.7; }
        #status { padding: 0.1em 0.6em; border-radius: 1em; background: #52606d; }
        #status[data-state="live"] { background: #2f8132; }
        #status[data-state="unreachable"], #status[data-state="disconnected"] { background: #b42318; }
        #status[data-state="waiting"] { background: #a86d00; }
        #clock { opacity: 0.7; margin-left: auto; }
        main { padding: 1em 1.5em; }
        #overview { display: grid; grid-template-columns: minmax(0, 3fr) minmax(0, 1.2fr); gap: 2em; }
        h2 { font-size: 1.05em; margin: 0.4em 0; }
        .hint { color: #666; margin: 0 0 0.8em; }
        table { border-collapse: collapse; width: 100%; background: #fff; }
        #board { overflow-x: auto; }
        th, td { padding: 0.3em 0.5em; border-bottom: 1px solid #e4e7eb; text-align: right; white-space: nowrap; }
        th:nth-child(3), td:nth-child(3) { text-align: left; max-width: 18em; overflow: hidden; text-overflow: ellipsis; }
        .badge { color: #fff; background: #e4572e; border-radius: 0.8em; font-size: 0.85em; }
        #feed, #creator-alerts { list-style: none; padding: 0; margin: 0; }
        .alert { display: flex; flex-wrap: wrap; gap: 0.6em; padding: 0.45em 0.6em; margin-bottom: 0.3em; background: #fff;
          border-left: 4px solid #9aa5b1; overflow-wrap: anywhere; }
        .alert.spike_started { border-color: #e4572e; }
        .alert.follower_drift { border-color: #d98e04; }
        .alert .kind { font-weight: 600; }
        .alert .creator-link { display: inline-block; max-width: 16em; overflow: hidden; text-overflow: ellipsis;
          white-space: nowrap; vertical-align: bottom; }
        .alert time { color: #666; margin-left: auto; }
        dl { display: grid; grid-template-columns: max-content auto; gap: 0.2em 1em; }
        dt { color: #666; }
        dd { margin: 0; }
        #chart { max-width: 100%; border: 1px solid #e4e7eb; background: #fff; }
        #creator-title { overflow-wrap: anywhere; max-height: 6em; overflow: hidden; }

        """#
}
