/**
 * The function library's families, one module each.
 */
