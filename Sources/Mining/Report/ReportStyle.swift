/// The report's stylesheet, inlined into `report.html`: system CJK fonts
/// (nothing to download), a 1000-pixel page, and print rules that keep
/// charts and need cards whole on A4.
enum ReportStyle {
    static let css = """
        :root { --ink: #1F2933; --muted: #6B7785; --line: #E4E8EE; --soft: #F5F7FA; --accent: #3D5A80; }
        * { box-sizing: border-box; }
        html { background: #EEF1F5; }
        body { margin: 0; color: var(--ink); font-size: 14px; line-height: 1.65;
               font-family: "Noto Sans CJK SC", "PingFang SC", "Microsoft YaHei", sans-serif;
               font-variant-numeric: tabular-nums; -webkit-font-smoothing: antialiased; }
        .page { width: 1000px; margin: 24px auto; padding: 36px 40px 28px; background: #FFFFFF;
                border-radius: 10px; box-shadow: 0 1px 3px rgba(31, 41, 51, .08); }
        .en { color: var(--muted); font-weight: 400; font-size: .86em; margin-left: .25em; }
        .muted { color: var(--muted); }
        code { font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, monospace; font-size: .9em;
               background: var(--soft); border-radius: 4px; padding: 0 4px; word-break: break-all; }
        .masthead { border-bottom: 3px solid var(--accent); padding-bottom: 14px; }
        .brand { margin: 0; color: var(--accent); font-size: 12.5px; font-weight: 600; letter-spacing: .12em; }
        h1 { margin: 4px 0 4px; font-size: 27px; font-weight: 700; letter-spacing: .02em; }
        h1 .en { font-size: 15px; }
        .subtitle { margin: 0; color: var(--muted); }
        .subtitle strong { color: var(--ink); }
        .status { display: inline-block; margin-left: 8px; padding: 0 9px; border-radius: 10px; font-size: 12px; }
        .status.done { background: #E6F4EC; color: #2F7A53; }
        .status.partial { background: #FFF3DC; color: #9A6206; }
        .banner { margin: 16px 0 0; padding: 10px 14px; border-radius: 8px; background: #FFF7E6; border: 1px solid #F3D9A4; color: #7A4D05; }
        .params { display: grid; grid-template-columns: repeat(4, 1fr); gap: 12px 24px; margin: 18px 0 0; }
        .param.half { grid-column: span 2; }
        .param dt { color: var(--muted); font-size: 12px; }
        .param dd { margin: 1px 0 0; font-weight: 500; overflow-wrap: anywhere; }
        .param ul { margin: 0; padding: 0; list-style: none; }
        .param li { margin: 1px 0; }
        section { margin-top: 34px; }
        h2 { margin: 0 0 10px; font-size: 19px; font-weight: 700; padding-left: 11px; border-left: 4px solid var(--accent); line-height: 1.3; }
        h3 { margin: 0 0 8px; font-size: 15px; font-weight: 600; }
        h4 { margin: 14px 0 6px; font-size: 12.5px; font-weight: 600; color: var(--muted); }
        .lead { margin: -2px 0 12px; color: var(--muted); font-size: 13px; }
        .lead .en { margin-left: .5em; }
        .card { border: 1px solid var(--line); border-radius: 10px; padding: 18px 20px 14px; }
        .card h3 + svg { margin-bottom: 18px; }
        svg.chart { display: block; max-width: 100%; height: auto; font-family: inherit; overflow: visible; }
        svg.spark { display: block; width: 100%; height: auto; }
        h3.sub { margin: 22px 0 10px; }
        .lead.after { margin: 8px 0 0; }
        .sparks { display: grid; grid-template-columns: repeat(4, 1fr); gap: 12px; }
        .spark-cell { border: 1px solid var(--line); border-radius: 10px; padding: 10px 12px 8px; }
        .spark-head { font-size: 13.5px; font-weight: 600; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
        .spark-head .en { font-size: 11px; }
        .spark-foot { font-size: 11.5px; color: var(--muted); margin-top: 2px; }
        .spark-foot .en { font-size: 11px; margin: 0; }
        .dot { display: inline-block; width: 9px; height: 9px; border-radius: 50%; background: var(--need); margin-right: 7px; vertical-align: 1px; }
        .kpis { display: grid; grid-template-columns: repeat(4, 1fr); gap: 12px; }
        .kpi { border: 1px solid var(--line); border-radius: 10px; padding: 12px 16px 10px; }
        .kpi .label { font-size: 13.5px; font-weight: 600; }
        .kpi .label-en { font-size: 11px; color: var(--muted); letter-spacing: .04em; text-transform: uppercase; }
        .kpi .value { font-size: 27px; font-weight: 700; line-height: 1.3; margin-top: 2px; }
        .kpi .note { font-size: 12px; color: var(--muted); }
        .kpi.warn .value { color: #B4540A; }
        .check { display: flex; align-items: baseline; gap: 12px; flex-wrap: wrap; margin: 12px 0; padding: 10px 16px; border-radius: 10px; }
        .check.ok { background: #EEF7F1; border: 1px solid #C6E3D1; }
        .check.bad { background: #FDEDEE; border: 1px solid #F1BDC2; }
        .check .mark-sign { font-size: 20px; font-weight: 700; }
        .check.ok .mark-sign { color: #2F7A53; }
        .check.bad .mark-sign { color: #B42333; }
        .check .equation { font-weight: 600; }
        .legend { display: flex; flex-wrap: wrap; gap: 6px 20px; margin-top: 12px; padding-top: 10px; border-top: 1px solid var(--line); font-size: 13px; }
        .legend-item { white-space: nowrap; }
        .swatch { display: inline-block; width: 12px; height: 12px; border-radius: 3px; margin-right: 6px; vertical-align: -1px; background: var(--c); }
        .swatch.line { width: 18px; height: 4px; border-radius: 2px; vertical-align: 3px; }
        .note-box { margin: 0; padding: 14px 16px; border-radius: 10px; background: var(--soft); border: 1px dashed #C5CDD8; color: var(--muted); }
        .note-box.ok { border-style: solid; border-color: #C6E3D1; background: #EEF7F1; color: #2F7A53; }
        .need { border: 1px solid var(--line); border-left: 5px solid var(--need); border-radius: 10px; padding: 14px 20px 12px; margin-top: 14px; }
        .need > header { display: flex; justify-content: space-between; align-items: baseline; gap: 16px; flex-wrap: wrap; }
        .need h3 { margin: 0; font-size: 17px; }
        .need .stats { margin: 0; color: var(--muted); font-size: 13px; }
        .need .stats strong { color: var(--ink); font-size: 15px; }
        .chips { display: flex; flex-wrap: wrap; gap: 6px; }
        .chip { display: inline-flex; align-items: baseline; gap: 6px; padding: 2px 10px; border-radius: 14px; background: var(--tint); font-size: 13px; }
        .chip .count { color: var(--muted); font-size: 11.5px; }
        .examples { margin: 0; padding-left: 22px; }
        .examples li { margin: 0 0 8px; padding-left: 4px; }
        .examples li::marker { color: var(--muted); font-size: 12px; }
        .quote { margin: 0; font-size: 14.5px; }
        .meta { margin: 0; color: var(--muted); font-size: 12px; }
        mark { background: var(--mark); color: inherit; border-radius: 3px; padding: 0 2px; box-shadow: inset 0 -2px 0 var(--need); }
        .pii { background: #E9EDF2; color: #4A5563; border-radius: 3px; padding: 0 3px; font-size: .92em; }
        table.rejects { width: 100%; border-collapse: collapse; font-size: 13.5px; }
        .rejects th { text-align: left; font-weight: 600; color: var(--muted); font-size: 12.5px; border-bottom: 2px solid var(--line); padding: 6px 10px; }
        .rejects td { border-bottom: 1px solid var(--line); padding: 7px 10px; }
        .rejects tfoot td { font-weight: 600; border-bottom: none; border-top: 2px solid var(--line); }
        .num, .rejects th.num { text-align: right; white-space: nowrap; }
        footer { margin-top: 36px; padding-top: 12px; border-top: 1px solid var(--line); color: var(--muted); font-size: 12px; }
        @page { size: A4; margin: 12mm; }
        @media print {
          html { background: #FFFFFF; }
          .page { width: auto; margin: 0; padding: 0; box-shadow: none; border-radius: 0; }
          * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
          .card, .need, .kpis, .check, .spark-cell, tr { break-inside: avoid; }
          h2, h3, h4 { break-after: avoid; }
        }
        """
}
