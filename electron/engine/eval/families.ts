/**
 * The function library's families, one module each; importing a module
 * registers its forms.
 */
import './functions/strings.js';
import './functions/conversions.js';
import './functions/typechecks.js';
import './functions/math.js';
import './functions/compare.js';
import './functions/time.js';
import './functions/collections.js';
import './functions/objects.js';
