import InputAdornment from '@material-ui/core/InputAdornment';
import TextField from '@material-ui/core/TextField';
import SearchIcon from '@material-ui/icons/Search';
import { useEffect, useRef, useState } from 'react';

/** How long typing pauses before the search runs. */
export const SEARCH_DEBOUNCE_MS = 300;

/**
 * The table's text search. It searches once typing pauses, not on every
 * key; a search changed elsewhere (a shared link, Clear filters) shows here.
 */
export function SearchField(props: {
  value?: string;
  onSearch: (q: string | undefined) => void;
}) {
  const { value = '', onSearch } = props;
  const [text, setText] = useState(value);
  // The last search sent or received, so echoes do not search again.
  const settled = useRef(value);
  const onSearchRef = useRef(onSearch);
  onSearchRef.current = onSearch;

  useEffect(() => {
    if (value !== settled.current) {
      settled.current = value;
      setText(value);
    }
  }, [value]);

  useEffect(() => {
    const q = text.trim();
    if (q === settled.current) return undefined;
    const timer = setTimeout(() => {
      settled.current = q;
      onSearchRef.current(q || undefined);
    }, SEARCH_DEBOUNCE_MS);
    return () => clearTimeout(timer);
  }, [text]);

  return (
    <TextField
      id="freeboard-portfolio-search"
      label="Search"
      type="search"
      placeholder="Name, ref, owner or system"
      value={text}
      onChange={e => setText(e.target.value)}
      variant="outlined"
      margin="dense"
      inputProps={{ maxLength: 200 }}
      // The icon sits where the label would rest, so the label stays raised.
      InputLabelProps={{ shrink: true }}
      InputProps={{
        startAdornment: (
          <InputAdornment position="start">
            <SearchIcon fontSize="small" />
          </InputAdornment>
        ),
      }}
      style={{ minWidth: 290 }}
    />
  );
}
