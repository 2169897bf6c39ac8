// A workbook written by openpyxl, as a county keeps its 台账: a title row,
// the header, then the rows; a cell {date: 'YYYY-MM-DD'} is a real date cell.
import { execFileSync } from 'node:child_process';

const OPENPYXL = `
import sys, json, datetime, openpyxl
path, spec = sys.argv[1], json.loads(sys.argv[2])
wb = openpyxl.Workbook()
ws = wb.active
ws.title = '发展党员台账'
ws.append([spec['title']])
ws.append(spec['header'])
for row in spec['rows']:
    out = []
    for v in row:
        if isinstance(v, dict):
            y, m, d = map(int, v['date'].split('-'))
            out.append(datetime.date(y, m, d))
        else:
            out.append(v)
    ws.append(out)
wb.save(path)
`;

/** Write spec ({title, header, rows}) to the file path. */
export function writeXlsx(path, spec) {
  execFileSync('/usr/bin/python3', ['-c', OPENPYXL, path, JSON.stringify(spec)]);
}
