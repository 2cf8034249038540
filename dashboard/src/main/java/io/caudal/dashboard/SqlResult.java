package io.caudal.dashboard;

import java.util.List;

/**
 * Rows of a query, as JSON-ready values.
 *
 * @param columns column names, in order
 * @param types DuckDB type names, in order
 * @param rows at most the row limit of rows
 * @param truncated whether the query had more rows than the limit
 * @param rowLimit the limit that applied
 * @param elapsedMs time to run the query and read its rows
 */
public record SqlResult(
    List<String> columns,
    List<String> types,
    List<List<Object>> rows,
    boolean truncated,
    int rowLimit,
    long elapsedMs) {}
