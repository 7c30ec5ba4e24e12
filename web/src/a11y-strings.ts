// User-visible text added for accessibility (the map's table, the folding filters, the phone
// layout, the password rule). Kept in one place so that it moves into the message catalogue with
// the rest of the app's strings.

export const MAP_TABLE_SUMMARY = 'The map as a table';
export const MAP_TABLE_CAPTION = 'Activities per country under these filters';
export const MAP_TABLE_COUNTRY = 'Country';
export const MAP_TABLE_COUNT = 'Activities';
export const MAP_TABLE_EMPTY = 'No country has activities under these filters.';
export const MAP_TABLE_BUTTON_HINT = 'Select a country’s name to filter by it; select it again to remove the filter.';
export const MAP_KEYBOARD_HINT = 'With a keyboard, Tab moves through the countries that have activities; Enter or Space filters by one.';
export const MAP_SCROLL_LABEL = 'World map (scrolls sideways on small screens)';
export const MAP_SCROLL_CUE = 'Swipe sideways to see the whole map.';

export const FILTERS_SUMMARY = 'Filters';
export const filtersActive = (n: number): string => (n === 0 ? 'none chosen' : n === 1 ? '1 chosen' : `${n} chosen`);

export const PASSWORD_RULE = 'At least 10 characters.';
