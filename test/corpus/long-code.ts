/** Deterministic, realistic-looking source files of a given size, for the long-refactor prompts. */

const TS_UNIT = (i: number) => `export async function loadOrder${i}(db: Db, id: string, cb: (err: Error | null, order?: Order) => void): Promise<void> {
  db.query('select * from orders where id = $1', [id], (err, rows) => {
    if (err) return cb(err);
    const order = rows[0];
    if (!order) return cb(new NotFoundError(\`order \${id}\`));
    order.total = order.lines.reduce((sum, line) => sum + line.price * line.qty, 0);
    cb(null, order);
  });
}
`;

const PY_UNIT = (i: number) => `class ReportBuilder${i}:
    def __init__(self, conn, cache):
        self.conn = conn
        self.cache = cache

    def build(self, start, end):
        rows = self.conn.execute("select day, amount from sales where day between ? and ?", (start, end)).fetchall()
        totals = {}
        for day, amount in rows:
            totals[day] = totals.get(day, 0) + amount
        self.cache.set(f"report:{start}:{end}", totals)
        return totals
`;

const JAVA_UNIT = (i: number) => `public class InventoryService${i} {
    private final InventoryRepository repository;
    private final EventBus events;

    public InventoryService${i}(InventoryRepository repository, EventBus events) {
        this.repository = repository;
        this.events = events;
    }

    public synchronized void reserve(String sku, int quantity) {
        Item item = repository.findBySku(sku);
        if (item == null) throw new IllegalArgumentException("unknown sku " + sku);
        if (item.getAvailable() < quantity) throw new IllegalStateException("not enough stock");
        item.setAvailable(item.getAvailable() - quantity);
        repository.save(item);
        events.publish(new StockReserved(sku, quantity));
    }
}
`;

const GO_UNIT = (i: number) => `func (s *Server${i}) HandleUpload(w http.ResponseWriter, r *http.Request) {
	file, header, err := r.FormFile("file")
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	defer file.Close()
	dst, err := os.Create(filepath.Join(s.dir, header.Filename))
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	defer dst.Close()
	io.Copy(dst, file)
	w.WriteHeader(http.StatusCreated)
}
`;

const UNITS = { ts: TS_UNIT, py: PY_UNIT, java: JAVA_UNIT, go: GO_UNIT } as const;
export type CodeLanguage = keyof typeof UNITS;

/** About `units` repetitions of a realistic unit of code (each 10-20 lines) in a fenced block. */
export function longCode(language: CodeLanguage, units: number, offset = 0): string {
  const body = Array.from({ length: units }, (_, i) => UNITS[language](i + offset)).join('\n');
  return `\`\`\`${language}\n${body}\`\`\``;
}
