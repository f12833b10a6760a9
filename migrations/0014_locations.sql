-- Restaurants (issue 19): where they are, the postcodes they deliver to, their weekly hours and dated
-- exceptions; and the support team's own hours. Hours are read and written whole and computed by the
-- server in the schedule's time zone (modules/locations/opening-hours.ts), so they are stored as the
-- contract's JSON: [{day, open, close}] and [{date, closed?, hours?}], "HH:MM" local times, a close at
-- or before the open running past midnight.

CREATE TABLE locations (
  id text PRIMARY KEY CHECK (id ~ '^[a-z0-9][a-z0-9-]{0,62}$'),
  name text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
  address text NOT NULL DEFAULT '' CHECK (length(address) <= 200),
  phone text NOT NULL DEFAULT '' CHECK (length(phone) <= 40),
  city text NOT NULL CHECK (length(city) BETWEEN 1 AND 100),
  timezone text NOT NULL CHECK (length(timezone) BETWEEN 1 AND 64),
  hours jsonb NOT NULL DEFAULT '[]'::jsonb CHECK (jsonb_typeof(hours) = 'array'),
  exceptions jsonb NOT NULL DEFAULT '[]'::jsonb CHECK (jsonb_typeof(exceptions) = 'array'),
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);

-- One row per postcode a restaurant delivers to: "who delivers to 1050?" is an index look-up.
CREATE TABLE location_postcodes (
  location_id text NOT NULL REFERENCES locations (id) ON DELETE CASCADE,
  postcode text NOT NULL CHECK (postcode ~ '^[0-9]{4,5}$'),
  PRIMARY KEY (location_id, postcode)
);

CREATE INDEX idx_location_postcodes_postcode ON location_postcodes (postcode);

-- The support team's hours: one row, or none (support then counts as always staffed).
CREATE TABLE support_hours (
  id boolean PRIMARY KEY DEFAULT true CHECK (id),
  timezone text NOT NULL CHECK (length(timezone) BETWEEN 1 AND 64),
  hours jsonb NOT NULL CHECK (jsonb_typeof(hours) = 'array'),
  exceptions jsonb NOT NULL DEFAULT '[]'::jsonb CHECK (jsonb_typeof(exceptions) = 'array'),
  updated_at timestamptz NOT NULL DEFAULT now()
);
