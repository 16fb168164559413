/// Fixed-width columns for tables read in a terminal (`String(format:)` ignores widths of `%@` on Linux).
public enum TextColumns {
    /// One line of cells separated by a space: each padded to the magnitude of its width, right-aligned for a
    /// positive width (numbers), left-aligned for a negative one (names); a longer cell is kept whole.
    public static func line(_ cells: [(text: String, width: Int)]) -> String {
        cells.map { cell in
            let padding = String(repeating: " ", count: max(abs(cell.width) - cell.text.count, 0))
            return cell.width < 0 ? cell.text + padding : padding + cell.text
        }
        .joined(separator: " ")
    }
}
