// Discussion behaviour (the discussion app owns this file).
